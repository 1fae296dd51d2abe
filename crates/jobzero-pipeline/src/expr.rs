//! Walking parsed GitHub Actions expressions.

use github_actions_expressions::{Expr, SpannedExpr};

/// `e` and every expression inside it, outermost first: call arguments, both sides of an
/// operator, a negated expression, the parts and computed indices of a context.
pub fn subexpressions<'a, 'e>(e: &'a SpannedExpr<'e>) -> Vec<&'a SpannedExpr<'e>> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        out.push(e);
        let children: Vec<&SpannedExpr<'e>> = match &e.inner {
            Expr::Call(call) => call.args.iter().collect(),
            Expr::BinExpr(b) => vec![&*b.lhs, &*b.rhs],
            Expr::UnExpr { expr, .. } => vec![&**expr],
            Expr::Context(c) => c.parts.iter().collect(),
            Expr::Index(i) => vec![&**i],
            _ => Vec::new(),
        };
        stack.extend(children.into_iter().rev());
    }
    out
}

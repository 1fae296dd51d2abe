//! Lowering steps every front end shares, parameterised by the language's own statement and
//! expression lowering: nesting bounds, blocks, fields and the operators whose tree-sitter
//! nodes have the same shape in every grammar.

use tree_sitter::Node;

use super::{Lowering, MAX_NESTING};
use crate::ir::{Expr, ExprKind, Op, Pos, Stmt};

/// A language's expression lowering.
pub type ExprFn = fn(&mut Lowering<'_>, Node<'_>) -> Expr;
/// A language's statement lowering.
pub type StmtFn = fn(&mut Lowering<'_>, Node<'_>, &mut Vec<Stmt>);

/// Defines a front end's `block`, `statement`, `expr`, `field_expr`, `children` and
/// `body_of` over its own `statement_inner` and `expr_inner`.
macro_rules! lowering_helpers {
    () => {
        #[allow(dead_code, reason = "not every front end uses every helper")]
        fn block(cx: &mut Lowering<'_>, node: Node<'_>) -> Vec<Stmt> {
            common::block(cx, node, statement)
        }

        fn statement(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>) {
            common::statement(cx, node, out, statement_inner);
        }

        fn expr(cx: &mut Lowering<'_>, node: Node<'_>) -> Expr {
            common::expr(cx, node, expr_inner)
        }

        fn field_expr(cx: &mut Lowering<'_>, node: Node<'_>, field: &str) -> Expr {
            common::field_expr(cx, node, field, expr)
        }

        fn children(cx: &mut Lowering<'_>, node: Node<'_>) -> Vec<Expr> {
            common::children(cx, node, expr)
        }

        #[allow(dead_code, reason = "not every front end uses every helper")]
        fn body_of(cx: &mut Lowering<'_>, node: Option<Node<'_>>) -> Vec<Stmt> {
            common::body_of(cx, node, statement)
        }
    };
}
pub(crate) use lowering_helpers;

/// An unknown value at `pos`.
pub fn other(pos: Pos) -> Expr {
    Expr::new(ExprKind::Other(Vec::new()), pos)
}

/// Lowers a statement within the nesting bound (deeper ones count as syntax errors).
pub fn statement(cx: &mut Lowering<'_>, node: Node<'_>, out: &mut Vec<Stmt>, inner: StmtFn) {
    if cx.nesting > MAX_NESTING {
        cx.syntax_errors += 1;
        return;
    }
    cx.nesting += 1;
    inner(cx, node, out);
    cx.nesting -= 1;
}

/// Lowers an expression within the nesting bound (deeper ones are unknown values).
pub fn expr(cx: &mut Lowering<'_>, node: Node<'_>, inner: ExprFn) -> Expr {
    if cx.nesting > MAX_NESTING {
        return other(cx.pos(node));
    }
    cx.nesting += 1;
    let e = inner(cx, node);
    cx.nesting -= 1;
    e
}

/// The statements of a block node.
pub fn block(cx: &mut Lowering<'_>, node: Node<'_>, stmt: StmtFn) -> Vec<Stmt> {
    let mut out = Vec::new();
    let mut walker = node.walk();
    for child in node.named_children(&mut walker) {
        stmt(cx, child, &mut out);
    }
    out
}

/// The statements of an optional body node (a statement or a block).
pub fn body_of(cx: &mut Lowering<'_>, node: Option<Node<'_>>, stmt: StmtFn) -> Vec<Stmt> {
    let mut out = Vec::new();
    if let Some(n) = node {
        stmt(cx, n, &mut out);
    }
    out
}

/// The expression in field `field` of `node`, unknown when absent.
pub fn field_expr(cx: &mut Lowering<'_>, node: Node<'_>, field: &str, expr: ExprFn) -> Expr {
    match node.child_by_field_name(field) {
        Some(n) => expr(cx, n),
        None => other(cx.pos(node)),
    }
}

/// Every named child but comments, lowered.
pub fn children(cx: &mut Lowering<'_>, node: Node<'_>, expr: ExprFn) -> Vec<Expr> {
    let mut walker = node.walk();
    node.named_children(&mut walker)
        .filter(|c| !c.kind().ends_with("comment"))
        .map(|c| expr(cx, c))
        .collect()
}

/// A node with `left`, `operator` and `right` fields.
pub fn binary(cx: &mut Lowering<'_>, node: Node<'_>, expr: ExprFn, op: fn(&str) -> Op) -> ExprKind {
    let op = node
        .child_by_field_name("operator")
        .map_or(Op::Other, |o| op(cx.text(o)));
    match (
        node.child_by_field_name("left"),
        node.child_by_field_name("right"),
    ) {
        (Some(l), Some(r)) => ExprKind::Binary(op, Box::new(expr(cx, l)), Box::new(expr(cx, r))),
        _ => ExprKind::Other(children(cx, node, expr)),
    }
}

/// A node with `condition`, `consequence` and `alternative` fields (`c ? a : b`).
pub fn ternary(cx: &mut Lowering<'_>, node: Node<'_>, expr: ExprFn) -> ExprKind {
    match (
        node.child_by_field_name("condition"),
        node.child_by_field_name("consequence"),
        node.child_by_field_name("alternative"),
    ) {
        (Some(c), Some(a), Some(b)) => ExprKind::Cond(
            Box::new(expr(cx, c)),
            Box::new(expr(cx, a)),
            Box::new(expr(cx, b)),
        ),
        _ => ExprKind::Other(children(cx, node, expr)),
    }
}

/// A unary operator applied to an already lowered operand: `!x`, `-1`.
pub fn unary(op: Option<&str>, operand: Option<Expr>) -> ExprKind {
    match (op, operand) {
        (Some("!" | "not"), Some(a)) => ExprKind::Not(Box::new(a)),
        (
            Some("-"),
            Some(Expr {
                kind: ExprKind::Int(i),
                ..
            }),
        ) => ExprKind::Int(-i),
        (
            Some("-"),
            Some(Expr {
                kind: ExprKind::Float(f),
                ..
            }),
        ) => ExprKind::Float(-f),
        (_, Some(a)) => ExprKind::Other(vec![a]),
        (_, None) => ExprKind::Other(Vec::new()),
    }
}

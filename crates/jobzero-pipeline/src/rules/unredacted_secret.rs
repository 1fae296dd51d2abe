use github_actions_expressions::Expr;
use github_actions_expressions::call::Function;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, Out, evidence};
use crate::source::expressions;

declare_rule! {
    /// ## What it finds
    /// A field read out of a JSON secret, `fromJSON(secrets.CONFIG).password`.
    ///
    /// ## Why it matters
    /// GitHub masks a secret's whole value in logs, not the values of fields inside it. The
    /// extracted field is an unmasked secret: echoed, traced or printed in an error message,
    /// it appears in clear in a log that everyone with read access can open.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   PASSWORD: ${{ fromJSON(secrets.DB).password }}
    /// ```
    ///
    /// ## Remediation
    /// Store each value as its own secret, or mask the extracted value first
    /// (`echo "::add-mask::$PASSWORD"`).
    ///
    /// ## References
    /// - CWE-532
    /// - [zizmor: unredacted-secrets](https://docs.zizmor.sh/audits/#unredacted-secrets)
    pub static UNREDACTED_SECRET = {
        id: "pipeline/unredacted-secret",
        code: "CI032",
        title: "field of a JSON secret escapes log masking",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

fn unmasked<'e>(e: &'e github_actions_expressions::SpannedExpr<'e>, found: &mut Vec<&'e str>) {
    match &e.inner {
        Expr::Context(c) => {
            if let Some(first) = c.parts.first()
                && let Expr::Call(call) = &first.inner
                && matches!(call.func, Function::FromJSON)
                && call
                    .args
                    .iter()
                    .any(|a| a.origin.raw.to_ascii_lowercase().starts_with("secrets."))
                && c.parts.len() > 1
            {
                found.push(e.origin.raw);
            }
        }
        Expr::Call(call) => call.args.iter().for_each(|a| unmasked(a, found)),
        Expr::BinExpr(b) => {
            unmasked(&b.lhs, found);
            unmasked(&b.rhs, found);
        }
        Expr::UnExpr { expr, .. } => unmasked(expr, found),
        _ => {}
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Out) {
    for (node, route) in cx.scalars() {
        let Some(text) = node.as_str() else { continue };
        for e in expressions(text) {
            let Ok(parsed) = Expr::parse(e.body) else {
                continue;
            };
            let mut found = Vec::new();
            unmasked(&parsed, &mut found);
            for raw in found {
                out.push(
                    cx.at(&UNREDACTED_SECRET, node, &route)
                        .message(format!("`{raw}` is not masked in logs"))
                        .evidence(evidence(&route, raw)),
                );
            }
        }
    }
}

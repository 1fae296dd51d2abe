use github_actions_expressions::Expr;
use github_actions_expressions::call::Function;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
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
    pub static RULE = {
        id: "pipeline/unredacted-secret",
        code: "CI032",
        title: "field of a JSON secret escapes log masking",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

fn unmasked(e: &github_actions_expressions::SpannedExpr<'_>) -> bool {
    let Expr::Context(c) = &e.inner else {
        return false;
    };
    c.parts.len() > 1
        && c.parts.first().is_some_and(|first| {
            matches!(&first.inner, Expr::Call(call)
                if matches!(call.func, Function::FromJSON)
                    && call
                        .args
                        .iter()
                        .any(|a| a.origin.raw.to_ascii_lowercase().starts_with("secrets.")))
        })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (node, route) in cx.scalars() {
        let Some(text) = node.as_str() else { continue };
        for e in expressions(text) {
            let Ok(parsed) = Expr::parse(e.body) else {
                continue;
            };
            let found = crate::expr::subexpressions(&parsed)
                .into_iter()
                .filter(|e| unmasked(e))
                .map(|e| e.origin.raw);
            for raw in found {
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!("`{raw}` is not masked in logs"))
                        .evidence(evidence(&route, raw)),
                );
            }
        }
    }
}

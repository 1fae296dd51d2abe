use github_actions_expressions::Expr;
use github_actions_expressions::call::Function;
use github_actions_expressions::literal::Literal;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::contexts::{self, Control};
use crate::source::expressions;

declare_rule! {
    /// ## What it finds
    /// A `contains()` whose first argument is a string literal and whose second is a
    /// context an outsider can choose: `contains('refs/heads/main refs/heads/dev',
    /// github.ref)`.
    ///
    /// ## Why it matters
    /// On a string, `contains` is a substring test, not membership: a branch named `main`
    /// fragment such as `refs/heads/m` or `heads/dev` passes, so the guarded step runs for
    /// refs it was meant to exclude.
    ///
    /// ## Example
    /// ```yaml
    /// if: contains('refs/heads/main refs/heads/release', github.head_ref)
    /// ```
    ///
    /// ## Remediation
    /// Test membership in an array: `contains(fromJSON('["refs/heads/main",
    /// "refs/heads/release"]'), github.ref)`, or compare with `==`.
    ///
    /// ## References
    /// - CWE-697
    /// - [zizmor: unsound-contains](https://docs.zizmor.sh/audits/#unsound-contains)
    pub static RULE = {
        id: "pipeline/unsound-contains",
        code: "CI015",
        title: "contains() on a string used as a membership test",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

fn unsound(e: &github_actions_expressions::SpannedExpr<'_>) -> bool {
    let Expr::Call(call) = &e.inner else {
        return false;
    };
    let is_ref = |raw: &str| {
        let r = raw.to_ascii_lowercase();
        r.starts_with("github.ref") || r == "github.base_ref"
    };
    matches!(call.func, Function::Contains)
        && call.args.len() == 2
        && matches!(call.args[0].inner, Expr::Literal(Literal::String(_)))
        && matches!(call.args[1].inner, Expr::Context(_))
        && (contexts::control(call.args[1].origin.raw) > Control::Fixed
            || is_ref(call.args[1].origin.raw))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (node, route) in cx.scalars() {
        if !route.ends_with(".if") {
            continue;
        }
        let Some(text) = node.as_str() else { continue };
        let bodies: Vec<&str> = if text.contains("${{") {
            expressions(text).iter().map(|e| e.body).collect()
        } else {
            vec![text]
        };
        for body in bodies {
            let Ok(parsed) = Expr::parse(body) else {
                continue;
            };
            let found = crate::expr::subexpressions(&parsed)
                .into_iter()
                .filter(|e| unsound(e))
                .map(|e| e.origin.raw);
            for call in found {
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!(
                            "`{call}` is a substring test: parts of the listed values pass it"
                        ))
                        .evidence(evidence(&route, call)),
                );
            }
        }
    }
}

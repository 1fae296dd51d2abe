use github_actions_expressions::Expr;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::source::expressions;

declare_rule! {
    /// ## What it finds
    /// A `${{ … }}` expression (or an `if:` condition) that is not valid GitHub Actions
    /// expression syntax — an unbalanced parenthesis, a stray operator, an unknown function
    /// — or a `${{` that is never closed.
    ///
    /// ## Why it matters
    /// GitHub rejects the workflow or fails the step at run time, often only on the branch
    /// or event where that path runs: a release or security job that silently never runs
    /// is a control that is not there.
    ///
    /// ## Example
    /// ```yaml
    /// if: ${{ github.event_name == 'push' && (github.ref == 'refs/heads/main' }}
    /// ```
    ///
    /// ## Remediation
    /// Fix the expression; `actionlint` and this rule's message name the problem.
    ///
    /// ## References
    /// - CWE-1164
    /// - [GitHub: expressions](https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions)
    pub static RULE = {
        id: "pipeline/invalid-expression",
        code: "CI035",
        title: "expression that does not parse",
        family: Family::Pipeline,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.src.kind == crate::source::Kind::GitlabCi
        || cx.src.kind == crate::source::Kind::Dependabot
    {
        return;
    }
    for (node, route) in cx.scalars() {
        let Some(text) = node.as_str() else { continue };
        let found = expressions(text);
        let mut bodies: Vec<(&str, String)> = found
            .iter()
            .map(|e| (e.body, e.raw(text).to_owned()))
            .collect();
        if route.ends_with(".if") && found.is_empty() && !text.trim().is_empty() {
            bodies.push((text, text.trim().to_owned()));
        }
        let opened = text.matches("${{").count();
        if opened > found.len() {
            out.push(
                cx.at(&RULE, node, &route)
                    .message("a `${{` is never closed with `}}`".to_owned())
                    .evidence(evidence(&route, "unclosed")),
            );
        }
        for (body, raw) in bodies {
            if let Err(e) = Expr::parse(body) {
                out.push(
                    cx.at(&RULE, node, &route)
                        .message(format!("`{raw}` is not a valid expression: {e}"))
                        .evidence(evidence(&route, &raw)),
                );
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::source::expressions;

declare_rule! {
    /// ## What it finds
    /// An `if:` that mixes a `${{ … }}` expression with other text — usually the newline a
    /// block scalar (`if: |`) adds, or words around the expression.
    ///
    /// ## Why it matters
    /// When `if:` is not one whole expression, GitHub evaluates it as a string template: the
    /// result is a non-empty string, which is always true. The guarded job or step runs for
    /// everyone, whatever the expression says.
    ///
    /// ## Example
    /// ```yaml
    /// if: |
    ///   ${{ github.event.pull_request.head.repo.fork == false }}
    /// ```
    ///
    /// ## Remediation
    /// Write the condition without `${{ }}` (`if: github.event.pull_request.head.repo.fork
    /// == false`) or as exactly one expression on one line, with `|-`/`>-` if a block is
    /// needed.
    ///
    /// ## References
    /// - CWE-670
    /// - [GitHub: expressions in conditionals](https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows-and-actions#about-expressions)
    /// - [zizmor: unsound-condition](https://docs.zizmor.sh/audits/#unsound-condition)
    pub static RULE = {
        id: "pipeline/unsound-condition",
        code: "CI016",
        title: "condition that is always true",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (node, route) in cx.scalars() {
        if !route.ends_with(".if") {
            continue;
        }
        let Some(text) = node.as_str() else { continue };
        let found = expressions(text);
        let Some(first) = found.first() else { continue };
        let whole = found.len() == 1 && first.start == 0 && first.end == text.len();
        if whole {
            continue;
        }
        out.push(
            cx.at(&RULE, node, &route)
                .message(format!(
                    "`if: {}` is a string template with text outside the expression, so it is always true",
                    text.replace('\n', "\\n")
                ))
                .evidence(evidence(&route, text.trim())),
        );
    }
}

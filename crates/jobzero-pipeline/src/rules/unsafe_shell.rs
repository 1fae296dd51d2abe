use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A `shell:` (on a step or in `defaults.run`) that drops the error handling of the
    /// standard shells: `cmd` (no equivalent of `set -e`: a failed command in the middle
    /// of a script does not fail the step), or a custom command that is not a well-known
    /// shell.
    ///
    /// ## Why it matters
    /// A security step whose failure is ignored — a signature check, a checksum
    /// verification, a scanner — passes silently, and the job goes on to publish.
    ///
    /// ## Example
    /// ```yaml
    /// defaults:
    ///   run:
    ///     shell: cmd
    /// ```
    ///
    /// ## Remediation
    /// Use `bash` or `pwsh` (which GitHub runs with fail-fast options), or check every
    /// command's exit status explicitly.
    ///
    /// ## References
    /// - CWE-754
    /// - [GitHub: default shells and exit codes](https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#exit-codes-and-error-action-preference)
    /// - [zizmor: misfeature](https://docs.zizmor.sh/audits/#misfeature)
    pub static RULE = {
        id: "pipeline/unsafe-shell",
        code: "CI033",
        title: "shell that ignores failing commands",
        family: Family::Pipeline,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

const WELL_KNOWN: &[&str] = &[
    "bash",
    "sh",
    "pwsh",
    "powershell",
    "python",
    "python3",
    "node",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (node, route) in cx.scalars() {
        // A step's own `shell:` or `defaults.run.shell`, not an action input named `shell`.
        let step_shell = route.ends_with("].shell") && route.contains("steps[");
        if !(step_shell || route.ends_with("defaults.run.shell"))
            || cx.src.kind == crate::source::Kind::GitlabCi
        {
            continue;
        }
        let Some(shell) = node.as_text() else {
            continue;
        };
        let shell = shell.trim();
        if shell.contains("${{") {
            continue;
        }
        let program = shell.split_whitespace().next().unwrap_or("");
        let program = program.rsplit('/').next().unwrap_or(program);
        let message = if program.eq_ignore_ascii_case("cmd") {
            "`shell: cmd` keeps going after a failing command".to_owned()
        } else if !WELL_KNOWN.contains(&program) {
            format!("`shell: {shell}` is not a well-known shell; its error handling is unknown")
        } else {
            continue;
        };
        out.push(
            cx.at(&RULE, node, &route)
                .message(message)
                .evidence(evidence(&route, shell)),
        );
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// `ACTIONS_ALLOW_UNSECURE_COMMANDS` set to a true value in any `env:` of a workflow or
    /// action.
    ///
    /// ## Why it matters
    /// It re-enables the deprecated `::set-env` and `::add-path` workflow commands, which
    /// any text printed to the log — a test name, a file name from a pull request — can use
    /// to set environment variables such as `LD_PRELOAD` or `NODE_OPTIONS` for later steps.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   ACTIONS_ALLOW_UNSECURE_COMMANDS: true
    /// ```
    ///
    /// ## Remediation
    /// Remove the variable and write to `$GITHUB_ENV` / `$GITHUB_PATH` instead; upgrade any
    /// action that still needs the old commands.
    ///
    /// ## References
    /// - CWE-77
    /// - [GitHub: deprecating set-env and add-path](https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/)
    /// - [zizmor: insecure-commands](https://docs.zizmor.sh/audits/#insecure-commands)
    pub static RULE = {
        id: "pipeline/insecure-commands",
        code: "CI011",
        title: "insecure workflow commands re-enabled",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (node, route) in cx.scalars() {
        let Some(name) = route.rsplit('.').next() else {
            continue;
        };
        let in_env = route.contains("env.") || route.starts_with("env.");
        if !in_env || !name.eq_ignore_ascii_case("ACTIONS_ALLOW_UNSECURE_COMMANDS") {
            continue;
        }
        let value = node.as_str().unwrap_or("").trim().to_ascii_lowercase();
        if matches!(value.as_str(), "false" | "0" | "") {
            continue;
        }
        out.push(
            cx.at(&RULE, node, &route)
                .message(format!("`{route}` re-enables `::set-env` and `::add-path`"))
                .evidence(evidence(&route, &value)),
        );
    }
}

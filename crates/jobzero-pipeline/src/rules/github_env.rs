use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::contexts::Control;
use crate::shell;
use crate::taint;

declare_rule! {
    /// ## What it finds
    /// A `run:` line that appends to `$GITHUB_ENV` or `$GITHUB_PATH` a value that can come
    /// from outside the repository: an attacker-controllable expression, an environment
    /// variable holding one, or any write at all in a workflow on `pull_request_target`,
    /// `workflow_run` or `issue_comment` (where files and artifacts of the pull request
    /// are in reach).
    ///
    /// ## Why it matters
    /// Every later step of the job starts with those variables. A newline in the value adds
    /// an extra variable of the attacker's choosing — `LD_PRELOAD`, `BASH_ENV`,
    /// `NODE_OPTIONS` — which is code execution with the job's token and secrets; a
    /// `GITHUB_PATH` entry swaps the binaries later steps run.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request_target
    /// steps:
    ///   - run: echo "TITLE=${{ github.event.pull_request.title }}" >> "$GITHUB_ENV"
    /// ```
    ///
    /// ## Remediation
    /// Keep untrusted values out of the environment files; pass them to the steps that need
    /// them through `env:`, and validate anything read from artifacts before use.
    ///
    /// ## References
    /// - CWE-454
    /// - [GitHub Security Lab: GITHUB_ENV injection](https://securitylab.github.com/advisories/GHSL-2024-177_Litestar/)
    /// - [zizmor: github-env](https://docs.zizmor.sh/audits/#github-env)
    pub static RULE = {
        id: "pipeline/github-env",
        code: "CI012",
        title: "untrusted value written to GITHUB_ENV or GITHUB_PATH",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

/// Whether the written value is computed (a variable, a command, an expression) rather
/// than a constant.
fn dynamic(line: &str) -> bool {
    let value = line.split(">>").next().unwrap_or(line);
    value.contains('$') || value.contains('%') || value.contains('`')
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let privileged = cx.workflow.as_ref().is_some_and(|w| {
        ["pull_request_target", "workflow_run", "issue_comment"]
            .iter()
            .any(|t| w.has_trigger(t))
    });
    for (job, step, script, node, route) in cx.run_scripts() {
        let mut from = 0;
        for line in script.lines() {
            let files: Vec<&str> = shell::env_file_writes(line)
                .into_iter()
                .filter(|f| *f != "GITHUB_OUTPUT")
                .collect();
            let Some(file) = files.first() else { continue };
            let mut flow = taint::text(cx, job, Some(step), line);
            for var in shell::variables(line) {
                let f = taint::context(cx, job, Some(step), &format!("env.{var}"), 0);
                if f.control != Control::Unknown {
                    flow = flow.stronger(f);
                }
            }
            let origin = flow.origin;
            let (severity, why) = match flow.control {
                Control::Arbitrary => (
                    Severity::High,
                    format!("attacker-controllable data ({origin})"),
                ),
                Control::Limited => (
                    Severity::Medium,
                    format!("externally influenced data ({origin})"),
                ),
                _ if privileged && dynamic(line) => (
                    Severity::Medium,
                    "computed data in a workflow that runs with secrets on pull requests' events"
                        .to_owned(),
                ),
                _ if cx.action.is_some() && dynamic(line) => (
                    Severity::Medium,
                    "computed data (its callers decide whether an attacker controls it)".to_owned(),
                ),
                _ => continue,
            };
            let trimmed = line.trim();
            let b = cx.at_text(&RULE, node, trimmed, &mut from, &route);
            out.push(
                b.severity(severity)
                    .message(format!("{} writes {why} to `${file}`", step.label()))
                    .evidence(evidence(&route, trimmed)),
            );
        }
    }
}

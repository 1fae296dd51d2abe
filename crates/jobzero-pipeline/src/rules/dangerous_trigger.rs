use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::model::Step;
use crate::source::expressions;

declare_rule! {
    /// ## What it finds
    /// A workflow started by `pull_request_target`, `workflow_run` or `issue_comment`
    /// — triggers that run with the base repository's secrets and a write token even when
    /// a fork started them — that checks out or fetches the pull request's code
    /// (`actions/checkout` with `ref:` the head SHA or branch, `refs/pull/…`, `gh pr
    /// checkout`, `git fetch … pull/…`) or downloads another run's artifacts. A workflow
    /// on these triggers that only checks out the base branch is not reported.
    ///
    /// ## Why it matters
    /// Once the fork's code is on disk, any build script, test, package-manager hook or
    /// Makefile in it runs with the privileges of the base repository ("pwn request").
    /// Artifacts of a `pull_request` run were produced by the fork's code and are just as
    /// untrusted.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request_target
    /// jobs:
    ///   test:
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///         with:
    ///           ref: ${{ github.event.pull_request.head.sha }}
    ///       - run: npm install && npm test
    /// ```
    ///
    /// ## Remediation
    /// Run untrusted code under `pull_request`, which has no secrets and a read-only token.
    /// When a privileged follow-up is needed (a comment, a label), split the work: the
    /// `pull_request` workflow uploads plain data, the privileged one treats it as data,
    /// never as code, and never checks out the fork.
    ///
    /// ## References
    /// - CWE-829
    /// - [GitHub Security Lab: preventing pwn requests](https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/)
    /// - [zizmor: dangerous-triggers](https://docs.zizmor.sh/audits/#dangerous-triggers)
    pub static RULE = {
        id: "pipeline/dangerous-trigger",
        code: "CI003",
        title: "privileged trigger runs or checks out a pull request's code",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

const PRIVILEGED: [&str; 3] = ["pull_request_target", "workflow_run", "issue_comment"];

/// Expressions that name the pull request's code rather than the base branch.
fn names_pr_code(cx: &Cx<'_>, text: &str) -> bool {
    names_pr_code_plain(text)
        || expressions(text).iter().any(|e| {
            let b = e.body.trim().to_ascii_lowercase();
            // A reusable workflow's input names what its callers pass.
            cx.callers.is_some_and(|callers| {
                b.strip_prefix("inputs.")
                    .and_then(|name| callers.values.get(name))
                    .is_some_and(|values| values.iter().any(|v| names_pr_code_plain(v)))
            })
        })
}

/// [`names_pr_code`] of text as written, without following inputs.
fn names_pr_code_plain(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if lower.contains("refs/pull/") || lower.contains("pull/") && lower.contains("/head") {
        return true;
    }
    expressions(text).iter().any(|e| {
        let b = e.body.to_ascii_lowercase();
        [
            "pull_request.head.sha",
            "pull_request.head.ref",
            "pull_request.head.repo",
            "github.head_ref",
            "workflow_run.head_sha",
            "workflow_run.head_branch",
            "workflow_run.head_repository",
            "pull_requests[0].head",
            "issue.number",
            "pull_request.merge_commit_sha",
        ]
        .iter()
        .any(|n| b.contains(n))
    })
}

/// Why the step brings the pull request's code or artifacts in, if it does.
fn pulls_pr_code(cx: &Cx<'_>, step: &Step<'_>) -> Option<String> {
    if step.uses_action("actions/checkout") {
        let named = ["ref", "repository"]
            .iter()
            .filter_map(|k| step.with(k).and_then(|n| n.as_str()))
            .find(|v| names_pr_code(cx, v));
        return named.map(|v| format!("checks out `{}`", v.trim()));
    }
    for artifact in [
        "actions/download-artifact",
        "dawidd6/action-download-artifact",
    ] {
        if step.uses_action(artifact) {
            let other_run = step.with("run-id").is_some()
                || step.with("workflow").is_some()
                || artifact.starts_with("dawidd6");
            if other_run {
                return Some("downloads another run's artifacts".to_owned());
            }
        }
    }
    let (script, _) = step.run()?;
    for line in script.lines() {
        let l = line.trim();
        if l.starts_with("gh pr checkout") || l.contains(" gh pr checkout") {
            return Some("runs `gh pr checkout`".to_owned());
        }
        let git_pulls =
            (l.contains("git fetch") || l.contains("git checkout") || l.contains("git pull"))
                && names_pr_code(cx, l);
        if git_pulls {
            return Some(format!("runs `{l}`"));
        }
        if l.contains("gh run download") {
            return Some("downloads another run's artifacts".to_owned());
        }
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    let Some((trigger, trigger_node)) = w
        .triggers
        .iter()
        .find(|(t, _)| PRIVILEGED.contains(t))
        .copied()
    else {
        return;
    };
    for job in &w.jobs {
        for step in &job.steps {
            let Some(why) = pulls_pr_code(cx, step) else {
                continue;
            };
            let route = step.route.clone();
            out.push(
                cx.at(&RULE, step.node, &route)
                    .message(format!(
                        "`{trigger}` runs with secrets and a write token, and {} {why}",
                        step.label()
                    ))
                    .related(
                        jobzero_core::finding::Location::lines(
                            &cx.src.path,
                            trigger_node.line(),
                            trigger_node.line(),
                        )
                        .route(format!("on.{trigger}")),
                    )
                    .evidence(evidence(&route, &format!("{trigger} {why}"))),
            );
        }
    }
}

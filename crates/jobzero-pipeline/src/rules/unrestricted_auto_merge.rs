use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;
use crate::model::{Job, Step};

declare_rule! {
    /// ## What it finds
    /// A step that approves or merges pull requests automatically — `gh pr merge`,
    /// `gh pr review --approve`, or an auto-merge/auto-approve action — with no condition
    /// on the pull request's author, its labels or Dependabot metadata on the step or its
    /// job.
    ///
    /// ## Why it matters
    /// Review is the control that keeps untrusted code out of the default branch. A step
    /// that merges whatever triggered it lets anyone who can open a pull request — or
    /// anyone who compromises a bot account — merge code without a human.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request_target
    /// jobs:
    ///   merge:
    ///     steps:
    ///       - run: gh pr merge --auto --squash "$PR"
    /// ```
    ///
    /// ## Remediation
    /// Restrict the job to the pull requests it is meant for, by author, not actor:
    /// `if: github.event.pull_request.user.login == 'dependabot[bot]'`, and check the
    /// update type with `dependabot/fetch-metadata`; keep branch protection with required
    /// reviews on.
    ///
    /// ## References
    /// - CWE-284
    /// - [GitHub: automating Dependabot with Actions](https://docs.github.com/en/code-security/dependabot/working-with-dependabot/automating-dependabot-with-github-actions)
    pub static RULE = {
        id: "pipeline/unrestricted-auto-merge",
        code: "CI019",
        title: "pull requests merged or approved without restriction",
        family: Family::Pipeline,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

const MERGE_ACTIONS: &[&str] = &[
    "pascalgn/automerge-action",
    "hmarr/auto-approve-action",
    "peter-evans/enable-pull-request-automerge",
    "fastify/github-action-merge-dependabot",
    "ahmadnassri/action-dependabot-auto-merge",
    "juliangruber/approve-pull-request-action",
    "reitermarkus/automerge",
];

fn merges(step: &Step<'_>) -> Option<String> {
    if let Some(a) = MERGE_ACTIONS.iter().find(|a| step.uses_action(a)) {
        return Some(format!("uses `{a}`"));
    }
    let (script, _) = step.run()?;
    script.lines().map(str::trim).find_map(|l| {
        let merge = l.contains("gh pr merge");
        let approve = l.contains("gh pr review") && l.contains("--approve")
            || l.contains("-a ") && l.contains("gh pr review");
        (merge || approve).then(|| format!("runs `{l}`"))
    })
}

fn restricted(node: Option<jobzero_core::yaml::Node<'_>>) -> bool {
    node.and_then(|n| n.as_str()).is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        // `github.actor` is no restriction: it is spoofable (see `pipeline/bot-condition`).
        c.contains("user.login")
            || c.contains("labels") && !c.contains("!contains")
            || c.contains("steps.") && c.contains("outputs")
            || c.contains("author_association")
    })
}

fn job_restricted(job: Option<&Job<'_>>) -> bool {
    job.is_some_and(|j| restricted(j.get("if")))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (job, step) in cx.steps() {
        let Some(why) = merges(step) else { continue };
        if restricted(step.get("if")) || job_restricted(job) {
            continue;
        }
        let route = step.route.clone();
        out.push(
            cx.at(&RULE, step.node, &route)
                .message(format!(
                    "{} {why} with no condition on the pull request's author or labels",
                    step.label()
                ))
                .evidence(evidence(&route, &why)),
        );
    }
}

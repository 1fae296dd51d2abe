use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A workflow started by pull requests or pushes with no `concurrency:` limit at the
    /// workflow level or on every job. Informational.
    ///
    /// ## Why it matters
    /// Without a limit, a burst of pushes or an attacker's stream of pull-request updates
    /// starts as many runs as it likes: runner minutes are burnt, queues starve the
    /// security checks of other changes, and deployments of an older commit can finish
    /// after a newer one.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request
    /// jobs:
    ///   test: …
    /// ```
    ///
    /// ## Remediation
    /// Limit the workflow to one run per branch or pull request, cancelling the older one:
    ///
    /// ```yaml
    /// concurrency:
    ///   group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}
    ///   cancel-in-progress: true
    /// ```
    ///
    /// ## References
    /// - CWE-400
    /// - [GitHub: concurrency](https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs)
    /// - [zizmor: concurrency-limits](https://docs.zizmor.sh/audits/#concurrency-limits)
    pub static RULE = {
        id: "pipeline/missing-concurrency",
        code: "CI029",
        title: "workflow without a concurrency limit",
        family: Family::Pipeline,
        severity: Severity::Info,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    let busy = ["pull_request", "pull_request_target", "push"]
        .iter()
        .any(|t| w.has_trigger(t));
    if !busy || w.root.get("concurrency").is_some() || w.jobs.is_empty() {
        return;
    }
    if w.jobs.iter().all(|j| j.get("concurrency").is_some()) {
        return;
    }
    let at = w.on_key.unwrap_or(w.root);
    out.push(
        cx.at(&RULE, at, "concurrency")
            .message(
                "no `concurrency:` limit: every push or pull-request update starts another run"
                    .to_owned(),
            )
            .evidence(evidence("concurrency", "missing")),
    );
}

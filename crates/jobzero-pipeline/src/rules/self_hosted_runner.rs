use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A job on a self-hosted runner (`runs-on: self-hosted`, a label list containing
    /// `self-hosted`, or a runner `group:`) in a workflow that pull requests from forks,
    /// issues or comments can start.
    ///
    /// ## Why it matters
    /// Self-hosted runners are not wiped between jobs. Code from a fork that runs on one can
    /// persist on the machine, read other jobs' secrets and reach the internal network the
    /// runner sits in.
    ///
    /// ## Example
    /// ```yaml
    /// on: pull_request
    /// jobs:
    ///   test:
    ///     runs-on: [self-hosted, linux]
    /// ```
    ///
    /// ## Remediation
    /// Run untrusted triggers on GitHub-hosted runners, or on ephemeral self-hosted runners
    /// (just-in-time, one job each) in an isolated network; require approval for fork pull
    /// requests.
    ///
    /// ## References
    /// - CWE-653
    /// - [GitHub: hardening for self-hosted runners](https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#hardening-for-self-hosted-runners)
    /// - [zizmor: self-hosted-runner](https://docs.zizmor.sh/audits/#self-hosted-runner)
    pub static RULE = {
        id: "pipeline/self-hosted-runner",
        code: "CI007",
        title: "self-hosted runner reachable by untrusted triggers",
        family: Family::Pipeline,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    if !w.outsiders_can_trigger() {
        return;
    }
    for job in &w.jobs {
        let Some(runs_on) = job.get("runs-on") else {
            continue;
        };
        let mut labels: Vec<&str> = runs_on.as_text().into_iter().collect();
        labels.extend(runs_on.items().filter_map(|i| i.as_text()));
        if let Some(l) = runs_on.get("labels") {
            labels.extend(l.as_text());
            labels.extend(l.items().filter_map(|i| i.as_text()));
        }
        let grouped = runs_on.get("group").is_some();
        if !(grouped
            || labels
                .iter()
                .any(|l| l.trim().eq_ignore_ascii_case("self-hosted")))
        {
            continue;
        }
        let route = format!("{}.runs-on", job.route);
        let triggers: Vec<&str> = w.triggers.iter().map(|(t, _)| *t).collect();
        out.push(
            cx.at(&RULE, runs_on, &route)
                .message(format!(
                    "job `{}` runs on a self-hosted runner and the workflow runs on {}",
                    job.id,
                    triggers.join(", ")
                ))
                .evidence(evidence(&route, "self-hosted")),
        );
    }
}

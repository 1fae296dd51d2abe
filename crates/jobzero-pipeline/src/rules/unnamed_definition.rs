use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A workflow or action without a top-level `name:`. Informational.
    ///
    /// ## Why it matters
    /// Without a name GitHub shows the file path in the Actions tab, in required status
    /// checks and in notifications; reviewers and branch-protection rules then depend on a
    /// path that moves when the file is renamed, and an attacker's look-alike workflow is
    /// harder to tell apart.
    ///
    /// ## Example
    /// ```yaml
    /// on: push
    /// jobs: …
    /// ```
    ///
    /// ## Remediation
    /// Add `name: CI` (or what the workflow does) at the top.
    ///
    /// ## References
    /// - CWE-1116
    /// - [zizmor: anonymous-definition](https://docs.zizmor.sh/audits/#anonymous-definition)
    pub static RULE = {
        id: "pipeline/unnamed-definition",
        code: "CI037",
        title: "workflow or action without a name",
        family: Family::Pipeline,
        severity: Severity::Info,
        confidence: Confidence::High,
        expectation: &expectation::CODE_ANALYSIS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let (root, what) = match (&cx.workflow, &cx.action) {
        (Some(w), _) => (w.root, "workflow"),
        (_, Some(a)) => (a.root, "action"),
        _ => return,
    };
    if root
        .get("name")
        .and_then(|n| n.as_text())
        .is_some_and(|n| !n.trim().is_empty())
    {
        return;
    }
    out.push(
        cx.at(&RULE, root, "name")
            .message(format!("the {what} has no `name:`"))
            .evidence(evidence("name", "missing")),
    );
}

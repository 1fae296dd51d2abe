use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::{Cx, evidence};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A `write` permission granted to the token (workflow or job level) with no comment on
    /// its line or the line above saying why. Informational.
    ///
    /// ## Why it matters
    /// Permissions only ever grow when nobody remembers why they were granted. A one-line
    /// reason lets a reviewer remove what is no longer needed and spot what never was.
    ///
    /// ## Example
    /// ```yaml
    /// permissions:
    ///   contents: write
    /// ```
    ///
    /// ## Remediation
    /// Say why, next to the grant: `contents: write  # push the release tag`.
    ///
    /// ## References
    /// - CWE-1116
    /// - [zizmor: undocumented-permissions](https://docs.zizmor.sh/audits/#undocumented-permissions)
    pub static RULE = {
        id: "pipeline/undocumented-permissions",
        code: "CI036",
        title: "write permission granted without a reason",
        family: Family::Pipeline,
        severity: Severity::Info,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let Some(w) = &cx.workflow else { return };
    let mut blocks = Vec::new();
    if let Some(p) = w.root.get("permissions") {
        blocks.push((p, "permissions".to_owned()));
    }
    for job in &w.jobs {
        if let Some(p) = job.get("permissions") {
            blocks.push((p, format!("{}.permissions", job.route)));
        }
    }
    for (block, route) in blocks {
        for (k, v) in block.entries() {
            let (Some(scope), Some(level)) = (k.as_text(), v.as_text()) else {
                continue;
            };
            if level.trim() != "write" {
                continue;
            }
            let line = cx.src.line_text(k.line());
            let above = cx.src.line_text(k.line().saturating_sub(1));
            if line.contains('#') || above.trim_start().starts_with('#') {
                continue;
            }
            let route = format!("{route}.{scope}");
            out.push(
                cx.at(&RULE, k, &route)
                    .message(format!(
                        "`{scope}: write` has no comment saying why it is needed"
                    ))
                    .evidence(evidence(&route, "write")),
            );
        }
    }
}

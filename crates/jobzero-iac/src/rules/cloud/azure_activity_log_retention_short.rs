use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An Azure activity log profile (`azurerm_monitor_log_profile`) whose retention policy is
    /// enabled with fewer than 365 days (`retention_policy { enabled = true, days = 30 }`).
    /// `days = 0` and a disabled policy keep the logs indefinitely and are not reported.
    ///
    /// ## Why it matters
    /// The activity log is the subscription's audit trail: who created, changed or deleted
    /// which resource. Intrusions are often found months later; with a month of retention,
    /// the first steps of the attacker are already gone.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_monitor_log_profile" "main" {
    ///   name       = "default"
    ///   categories = ["Action", "Delete", "Write"]
    ///   locations  = ["westeurope", "global"]
    ///   retention_policy {
    ///     enabled = true
    ///     days    = 30
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Keep the activity log at least a year (or export it with a diagnostic setting to a
    /// workspace or storage account with that retention; log profiles are being retired):
    /// ```hcl
    /// retention_policy {
    ///   enabled = true
    ///   days    = 365
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-779
    /// - [Azure Monitor: activity log](https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log)
    /// - Checkov CKV_AZURE_37
    pub static RULE = {
        id: "iac/azure-activity-log-retention-short",
        code: "IAC185",
        title: "activity log kept less than a year",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_monitor_log_profile"]) {
        for policy in r.body.all("retention_policy") {
            if policy.get("enabled").and_then(Node::as_bool) != Some(true) {
                continue;
            }
            let Some(n) = policy.get("days") else {
                continue;
            };
            let Some(days) = n.as_num() else {
                continue;
            };
            if days <= 0.0 || days >= 365.0 {
                continue;
            }
            out.push(cx.at(&RULE, r, n).message(format!(
                "log profile `{}` keeps the activity log only {days} days (`retention_policy.days = {days}`)",
                r.addr
            )));
        }
    }
}

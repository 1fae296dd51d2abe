use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::text_is;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// Microsoft Defender for Cloud (Security Center) alerts that reach nobody or are never
    /// raised: an `azurerm_security_center_contact` with `alert_notifications = false` (no
    /// email for high-severity alerts) or `alerts_to_admins = false` (subscription owners not
    /// told), and an `azurerm_security_center_subscription_pricing` on the `Free` tier, which
    /// raises no threat-detection alerts for its resource type.
    ///
    /// ## Why it matters
    /// Defender's alerts are how an active attack on a subscription (a crypto miner, a brute
    /// force, a suspicious key vault access) comes to someone's attention. An alert nobody
    /// receives, or a plan that never raises it, leaves the attack running.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_security_center_contact" "main" {
    ///   email               = "security@example.com"
    ///   alert_notifications = false
    ///   alerts_to_admins    = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Send high-severity alerts to a monitored address and to the subscription owners, and
    /// use the `Standard` tier for the resource types you run:
    /// ```hcl
    /// alert_notifications = true
    /// alerts_to_admins    = true
    /// ```
    ///
    /// ## References
    /// - CWE-778
    /// - [Defender for Cloud: configure email notifications for security alerts](https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications)
    /// - [Defender for Cloud: Defender plans](https://learn.microsoft.com/en-us/azure/defender-for-cloud/defender-for-cloud-introduction)
    /// - Checkov CKV_AZURE_19, CKV_AZURE_21, CKV_AZURE_22
    pub static RULE = {
        id: "iac/azure-security-center-alerts-off",
        code: "IAC186",
        title: "security alerts of Defender for Cloud switched off or sent to nobody",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_security_center_contact"]) {
        for (key, what) in [
            (
                "alert_notifications",
                "sends no email for high-severity alerts",
            ),
            (
                "alerts_to_admins",
                "does not tell subscription owners of alerts",
            ),
        ] {
            if let Some(n) = r.at(key)
                && n.as_bool() == Some(false)
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "security contact `{}` {what} (`{key} = false`)",
                    r.addr
                )));
            }
        }
    }
    for r in cx.of(&["azurerm_security_center_subscription_pricing"]) {
        if let Some(n) = r.at("tier")
            && text_is(Some(n), "Free")
        {
            let plan = r.str_at("resource_type").unwrap_or("VirtualMachines");
            out.push(cx.at(&RULE, r, n).message(format!(
                "Defender plan `{}` (`{plan}`) is on the free tier (`tier = \"Free\"`), which raises no threat-detection alerts",
                r.addr
            )));
        }
    }
}

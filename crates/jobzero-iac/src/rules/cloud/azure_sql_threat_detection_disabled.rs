use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::text_is;
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// SQL threat detection (Microsoft Defender for SQL alerts) switched off or partly off:
    /// an `azurerm_mssql_server_security_alert_policy` with `state = "Disabled"` or a
    /// non-empty `disabled_alerts` list (`Sql_Injection`, `Data_Exfiltration`, ...), an
    /// `azurerm_mssql_managed_instance_security_alert_policy` with `enabled = false` or
    /// disabled alerts, and the same in the `threat_detection_policy` block of
    /// `azurerm_sql_server`, `azurerm_sql_database` and `azurerm_mssql_database`.
    ///
    /// ## Why it matters
    /// Threat detection is what raises an alert on an SQL injection, a login from an unusual
    /// place or a mass export. Switching an alert type off means that attack goes unnoticed
    /// until the data shows up elsewhere.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_mssql_server_security_alert_policy" "main" {
    ///   server_name     = azurerm_mssql_server.main.name
    ///   state           = "Enabled"
    ///   disabled_alerts = ["Sql_Injection", "Data_Exfiltration"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Enable the policy with every alert type, and send the alerts to someone who reads
    /// them (`email_addresses`, `email_account_admins = true`):
    /// ```hcl
    /// state           = "Enabled"
    /// disabled_alerts = []
    /// ```
    ///
    /// ## References
    /// - CWE-778
    /// - [Azure: Microsoft Defender for SQL](https://learn.microsoft.com/en-us/azure/azure-sql/database/azure-defender-for-sql)
    /// - [Azure: SQL Advanced Threat Protection alerts](https://learn.microsoft.com/en-us/azure/azure-sql/database/threat-detection-overview)
    /// - Checkov CKV_AZURE_25
    pub static RULE = {
        id: "iac/azure-sql-threat-detection-disabled",
        code: "IAC177",
        title: "database threat detection disabled or missing alert types",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

/// Reports one alert policy (a resource body or a `threat_detection_policy` block).
fn check_policy(cx: &Cx<'_>, out: &mut Sink, r: &Resource, policy: &Node) {
    if let Some(s) = policy.get("state")
        && text_is(Some(s), "Disabled")
    {
        out.push(cx.at(&RULE, r, s).message(format!(
            "`{}` switches SQL threat detection off (`state = \"Disabled\"`)",
            r.addr
        )));
        return;
    }
    if let Some(e) = policy.get("enabled")
        && e.as_bool() == Some(false)
    {
        out.push(cx.at(&RULE, r, e).message(format!(
            "`{}` switches SQL threat detection off (`enabled = false`)",
            r.addr
        )));
        return;
    }
    if let Some(d) = policy.get("disabled_alerts") {
        let alerts: Vec<&str> = d
            .strings()
            .into_iter()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        if !alerts.is_empty() {
            out.push(cx.at(&RULE, r, d).message(format!(
                "`{}` turns off the threat detection alerts `{}`",
                r.addr,
                alerts.join("`, `")
            )));
        }
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "azurerm_mssql_server_security_alert_policy",
        "azurerm_mssql_managed_instance_security_alert_policy",
    ]) {
        check_policy(cx, out, r, &r.body);
    }
    for r in cx.of(&[
        "azurerm_sql_server",
        "azurerm_sql_database",
        "azurerm_mssql_database",
    ]) {
        for policy in r.body.all("threat_detection_policy") {
            check_policy(cx, out, r, policy);
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An Azure SQL logical server (`azurerm_mssql_server`, or the older `azurerm_sql_server`)
    /// with no server-level auditing: no `extended_auditing_policy` block and no
    /// `azurerm_mssql_server_extended_auditing_policy` whose `server_id` points at it
    /// (anywhere in the module). An `azurerm_mssql_server_extended_auditing_policy` with
    /// `enabled = false` is reported too.
    ///
    /// ## Why it matters
    /// SQL auditing records who logged in, from where, and which statements ran. Without it,
    /// a data theft through a stolen login or an SQL injection leaves no trace that can
    /// scope the incident or prove what was not read.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_mssql_server" "main" {
    ///   name    = "orders-sql"
    ///   version = "12.0"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Turn auditing on at the server level and send it to a Log Analytics workspace or a
    /// storage account with a retention of at least 90 days:
    /// ```hcl
    /// resource "azurerm_mssql_server_extended_auditing_policy" "main" {
    ///   server_id              = azurerm_mssql_server.main.id
    ///   log_monitoring_enabled = true
    ///   retention_in_days      = 90
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-778
    /// - [Azure SQL: auditing](https://learn.microsoft.com/en-us/azure/azure-sql/database/auditing-overview)
    /// - Checkov CKV_AZURE_23
    pub static RULE = {
        id: "iac/azure-sql-auditing-disabled",
        code: "IAC176",
        title: "database server without SQL auditing",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_mssql_server_extended_auditing_policy"]) {
        if let Some(n) = r.at("enabled")
            && n.as_bool() == Some(false)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "auditing policy `{}` switches server auditing off (`enabled = false`)",
                r.addr
            )));
        }
    }
    for r in cx.of(&["azurerm_mssql_server", "azurerm_sql_server"]) {
        if r.is_set("extended_auditing_policy")
            || !cx
                .graph
                .linked(
                    r,
                    "azurerm_mssql_server_extended_auditing_policy",
                    "server_id",
                )
                .is_empty()
        {
            continue;
        }
        out.push(cx.missing(&RULE, r, "extended_auditing_policy").message(format!(
            "SQL server `{}` has no auditing (neither an `extended_auditing_policy` block nor a linked `azurerm_mssql_server_extended_auditing_policy`)",
            r.addr
        )));
    }
}

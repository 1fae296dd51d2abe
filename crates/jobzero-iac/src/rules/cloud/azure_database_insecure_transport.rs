use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::{text_is, version};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An Azure database server that accepts unencrypted connections or TLS older than 1.2:
    /// - `azurerm_mysql_server`, `azurerm_postgresql_server`, `azurerm_mariadb_server` with
    ///   `ssl_enforcement_enabled = false` (or `ssl_enforcement = "Disabled"` before provider
    ///   2.0), or `ssl_minimal_tls_version_enforced` set to `TLS1_0`, `TLS1_1` or
    ///   `TLSEnforcementDisabled`;
    /// - `azurerm_mssql_server` and `azurerm_mssql_managed_instance` with
    ///   `minimum_tls_version` `1.0`, `1.1` or `Disabled`;
    /// - a server parameter (`azurerm_postgresql_flexible_server_configuration`,
    ///   `azurerm_mysql_flexible_server_configuration`, `azurerm_postgresql_configuration`,
    ///   `azurerm_mysql_configuration`) that sets `require_secure_transport` to `off`, or
    ///   `tls_version`/`ssl_min_protocol_version` to a list that admits TLS 1.0 or 1.1.
    ///
    /// ## Why it matters
    /// Database connections carry credentials and the data itself. Without enforced TLS,
    /// a client that does not ask for encryption (or an attacker who strips it) sends both in
    /// clear to anyone on the network path.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_postgresql_server" "main" {
    ///   name                    = "orders-db"
    ///   ssl_enforcement_enabled = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Enforce TLS 1.2 or later on the server, and make clients verify the server
    /// certificate:
    /// ```hcl
    /// ssl_enforcement_enabled          = true
    /// ssl_minimal_tls_version_enforced = "TLS1_2"
    /// ```
    ///
    /// ## References
    /// - CWE-319
    /// - [Azure Database for PostgreSQL: configure TLS connectivity](https://learn.microsoft.com/en-us/azure/postgresql/single-server/concepts-ssl-connection-security)
    /// - [Azure SQL Database: minimal TLS version](https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings#minimal-tls-version)
    /// - Checkov CKV_AZURE_28, CKV_AZURE_29, CKV_AZURE_47, CKV_AZURE_52, CKV_AZURE_54, CKV_AZURE_147
    pub static RULE = {
        id: "iac/azure-database-insecure-transport",
        code: "IAC175",
        title: "database server accepts unencrypted connections or TLS older than 1.2",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// Whether a server parameter's TLS version list admits TLS 1.0 or 1.1.
fn admits_old_tls(list: &str) -> bool {
    list.split(',').any(|v| {
        let v = v.trim();
        v.eq_ignore_ascii_case("TLSv1")
            || v.eq_ignore_ascii_case("TLSv1.0")
            || v.eq_ignore_ascii_case("TLSv1.1")
    })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "azurerm_mysql_server",
        "azurerm_postgresql_server",
        "azurerm_mariadb_server",
    ]) {
        let mut ssl_off = false;
        if let Some(n) = r.at("ssl_enforcement_enabled")
            && n.as_bool() == Some(false)
        {
            ssl_off = true;
            out.push(cx.at(&RULE, r, n).message(format!(
                "database server `{}` accepts unencrypted connections (`ssl_enforcement_enabled = false`)",
                r.addr
            )));
        }
        if let Some(n) = r.at("ssl_enforcement")
            && text_is(Some(n), "Disabled")
        {
            ssl_off = true;
            out.push(cx.at(&RULE, r, n).message(format!(
                "database server `{}` accepts unencrypted connections (`ssl_enforcement = \"Disabled\"`)",
                r.addr
            )));
        }
        if !ssl_off
            && let Some(n) = r.at("ssl_minimal_tls_version_enforced")
            && let Some(v) = n.as_str().map(str::trim)
            && matches!(v, "TLS1_0" | "TLS1_1" | "TLSEnforcementDisabled")
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "database server `{}` accepts TLS older than 1.2 (`ssl_minimal_tls_version_enforced = \"{v}\"`)",
                r.addr
            )));
        }
    }
    for r in cx.of(&["azurerm_mssql_server", "azurerm_mssql_managed_instance"]) {
        if let Some(n) = r.at("minimum_tls_version")
            && let Some(v) = version(n)
            && matches!(v.as_str(), "1.0" | "1.1" | "Disabled" | "None")
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "SQL server `{}` accepts TLS older than 1.2 (`minimum_tls_version = \"{v}\"`)",
                r.addr
            )));
        }
    }
    for r in cx.of(&[
        "azurerm_postgresql_flexible_server_configuration",
        "azurerm_mysql_flexible_server_configuration",
        "azurerm_postgresql_configuration",
        "azurerm_mysql_configuration",
    ]) {
        let Some(name) = r.str_at("name").map(str::trim) else {
            continue;
        };
        let Some(n) = r.at("value") else {
            continue;
        };
        let Some(value) = n.as_str().map(str::trim) else {
            continue;
        };
        let what = match name {
            "require_secure_transport" if value.eq_ignore_ascii_case("off") => {
                "accepts unencrypted connections"
            }
            "tls_version" | "ssl_min_protocol_version" if admits_old_tls(value) => {
                "accepts TLS older than 1.2"
            }
            _ => continue,
        };
        out.push(cx.at(&RULE, r, n).message(format!(
            "server parameter `{}` {what} (`{name} = \"{value}\"`)",
            r.addr
        )));
    }
}

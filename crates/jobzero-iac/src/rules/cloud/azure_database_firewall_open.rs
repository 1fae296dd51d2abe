use std::net::Ipv4Addr;

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An Azure database firewall rule whose address range covers the internet (more than a
    /// `/8`, typically `0.0.0.0` to `255.255.255.255`): `azurerm_mssql_firewall_rule`,
    /// `azurerm_sql_firewall_rule`, `azurerm_postgresql_firewall_rule`,
    /// `azurerm_postgresql_flexible_server_firewall_rule`, `azurerm_mysql_firewall_rule`,
    /// `azurerm_mysql_flexible_server_firewall_rule`, `azurerm_mariadb_firewall_rule`,
    /// `azurerm_synapse_firewall_rule` (`start_ip_address`/`end_ip_address`) and
    /// `azurerm_redis_firewall_rule` (`start_ip`/`end_ip`). The special rule `0.0.0.0` to
    /// `0.0.0.0` (allow Azure services) is not reported.
    ///
    /// ## Why it matters
    /// The database's login page is then reachable from every address: credential stuffing,
    /// brute force and any vulnerability of the engine are a connection away, and a leaked
    /// connection string works from anywhere.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_mssql_firewall_rule" "all" {
    ///   name             = "all"
    ///   server_id        = azurerm_mssql_server.main.id
    ///   start_ip_address = "0.0.0.0"
    ///   end_ip_address   = "255.255.255.255"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Allow only the addresses that need the database (an office, a NAT gateway), or
    /// disable public network access and connect through a private endpoint or virtual
    /// network rule.
    ///
    /// ## References
    /// - CWE-284
    /// - [Azure SQL Database: IP firewall rules](https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure)
    /// - [Azure Database for PostgreSQL: firewall rules](https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-firewall-rules)
    /// - Checkov CKV_AZURE_11
    pub static RULE = {
        id: "iac/azure-database-firewall-open",
        code: "IAC174",
        title: "database firewall rule admits the whole internet",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// Firewall rule types, with their start and end address arguments.
const TYPES: &[(&str, &str, &str)] = &[
    (
        "azurerm_mssql_firewall_rule",
        "start_ip_address",
        "end_ip_address",
    ),
    (
        "azurerm_sql_firewall_rule",
        "start_ip_address",
        "end_ip_address",
    ),
    (
        "azurerm_postgresql_firewall_rule",
        "start_ip_address",
        "end_ip_address",
    ),
    (
        "azurerm_postgresql_flexible_server_firewall_rule",
        "start_ip_address",
        "end_ip_address",
    ),
    (
        "azurerm_mysql_firewall_rule",
        "start_ip_address",
        "end_ip_address",
    ),
    (
        "azurerm_mysql_flexible_server_firewall_rule",
        "start_ip_address",
        "end_ip_address",
    ),
    (
        "azurerm_mariadb_firewall_rule",
        "start_ip_address",
        "end_ip_address",
    ),
    (
        "azurerm_synapse_firewall_rule",
        "start_ip_address",
        "end_ip_address",
    ),
    ("azurerm_redis_firewall_rule", "start_ip", "end_ip"),
];

/// Ranges larger than this (a `/8`) are the internet, not a network someone owns.
const LARGEST_PRIVATE: u64 = 1 << 24;

fn ipv4(n: &Node) -> Option<u32> {
    n.as_str()?.trim().parse::<Ipv4Addr>().ok().map(u32::from)
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, start_key, end_key) in TYPES {
        for r in cx.of(&[*rtype]) {
            let (Some(start_node), Some(end_node)) = (r.at(start_key), r.at(end_key)) else {
                continue;
            };
            let (Some(start), Some(end)) = (ipv4(start_node), ipv4(end_node)) else {
                continue;
            };
            if end < start {
                continue;
            }
            let size = u64::from(end - start) + 1;
            if size <= LARGEST_PRIVATE {
                continue;
            }
            let what = if start == 0 && end == u32::MAX {
                "the whole IPv4 internet".to_owned()
            } else {
                format!("{size} addresses")
            };
            out.push(cx.at(&RULE, r, start_node).message(format!(
                "firewall rule `{}` admits `{}` to `{}` ({what}) to the database server",
                r.addr,
                Ipv4Addr::from(start),
                Ipv4Addr::from(end)
            )));
        }
    }
}

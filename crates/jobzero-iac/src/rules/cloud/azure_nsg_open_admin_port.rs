use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::{admin_ports_in, describe_ports, port_ranges, text_is};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An Azure network security group rule that lets the whole internet reach an
    /// administrative or database port (SSH 22, RDP 3389, Telnet, WinRM, VNC, MySQL,
    /// PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Elasticsearch, Memcached, Cassandra,
    /// Kafka): an `Inbound` `Allow` rule over `Tcp` or `*` whose `source_address_prefix(es)`
    /// is `*`, `0.0.0.0`, `0.0.0.0/0`, `Internet` or `Any`, and whose
    /// `destination_port_range(s)` covers the port (`"22"`, `"20-30"`, `"*"`). Rules are read
    /// in `azurerm_network_security_rule` and in the `security_rule` blocks of
    /// `azurerm_network_security_group`.
    ///
    /// ## Why it matters
    /// Internet-wide scanners find an open SSH, RDP or database port within minutes; from
    /// then on the only protection is the password, and the service's own vulnerabilities
    /// are exposed to everyone.
    ///
    /// ## Example
    /// ```hcl
    /// security_rule {
    ///   name                       = "AllowSSH"
    ///   direction                  = "Inbound"
    ///   access                     = "Allow"
    ///   protocol                   = "Tcp"
    ///   source_address_prefix      = "*"
    ///   source_port_range          = "*"
    ///   destination_port_range     = "22"
    ///   destination_address_prefix = "*"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Allow only known ranges (a VPN, a bastion subnet) in `source_address_prefix(es)`, or
    /// remove the rule and reach machines through Azure Bastion or just-in-time VM access.
    ///
    /// ## References
    /// - CWE-284
    /// - [Azure: network security groups](https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview)
    /// - [Azure: just-in-time VM access](https://learn.microsoft.com/en-us/azure/defender-for-cloud/just-in-time-access-usage)
    /// - Checkov CKV_AZURE_9, CKV_AZURE_10
    pub static RULE = {
        id: "iac/azure-nsg-open-admin-port",
        code: "IAC173",
        title: "network security group opens an administrative or database port to the internet",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// Whether an address prefix means every address.
fn is_open_source(prefix: &str) -> bool {
    let p = prefix.trim().to_ascii_lowercase();
    matches!(
        p.as_str(),
        "*" | "0.0.0.0" | "0.0.0.0/0" | "internet" | "any" | "::/0"
    )
}

/// Reports one security rule (a resource body or a `security_rule` block).
fn check_rule(cx: &Cx<'_>, out: &mut Sink, r: &Resource, rule: &Node) {
    if !text_is(rule.get("access"), "Allow") || !text_is(rule.get("direction"), "Inbound") {
        return;
    }
    let Some(protocol) = rule.get("protocol").and_then(Node::as_str) else {
        return;
    };
    let protocol = protocol.trim();
    if !(protocol.eq_ignore_ascii_case("tcp") || protocol == "*") {
        return;
    }
    // The open source, and the argument that names it.
    let mut source: Option<(&Node, String)> = None;
    if let Some(n) = rule.get("source_address_prefix")
        && let Some(s) = n.as_str()
        && is_open_source(s)
    {
        source = Some((n, s.trim().to_owned()));
    }
    if source.is_none()
        && let Some(n) = rule.get("source_address_prefixes")
        && let Some(s) = n.strings().into_iter().find(|s| is_open_source(s))
    {
        source = Some((n, s.trim().to_owned()));
    }
    let Some((at, open)) = source else {
        return;
    };
    let mut ranges = Vec::new();
    for key in ["destination_port_range", "destination_port_ranges"] {
        if let Some(n) = rule.get(key) {
            ranges.extend(port_ranges(n));
        }
    }
    let hit = admin_ports_in(&ranges);
    if hit.is_empty() {
        return;
    }
    let name = rule
        .get("name")
        .and_then(Node::as_str)
        .filter(|n| !r.is(&["azurerm_network_security_rule"]) && !n.is_empty())
        .map(|n| format!(" (rule `{n}`)"))
        .unwrap_or_default();
    out.push(cx.at(&RULE, r, at).message(format!(
        "`{}`{name} lets the internet (`{open}`) reach {}",
        r.addr,
        describe_ports(&hit)
    )));
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_network_security_group"]) {
        for rule in r.body.all("security_rule") {
            check_rule(cx, out, r, rule);
        }
    }
    for r in cx.of(&["azurerm_network_security_rule"]) {
        check_rule(cx, out, r, &r.body);
    }
}

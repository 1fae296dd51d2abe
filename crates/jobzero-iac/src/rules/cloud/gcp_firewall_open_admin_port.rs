use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::{ALL_PORTS, admin_ports_in, describe_ports, port_ranges, text_is};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::open_cidrs;
use crate::node::{Node, Val};

declare_rule! {
    /// ## What it finds
    /// A Google Cloud VPC firewall rule (`google_compute_firewall`) that lets the whole
    /// internet reach an administrative or database port (SSH 22, RDP 3389, Telnet, WinRM,
    /// VNC, MySQL, PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Elasticsearch, Memcached,
    /// Cassandra, Kafka): an enabled `INGRESS` rule (the default direction) whose
    /// `source_ranges` contains `0.0.0.0/0` or `::/0`, or that names no source at all (no
    /// `source_ranges`, `source_tags` or `source_service_accounts`, which Google Cloud reads
    /// as `0.0.0.0/0`), with an `allow` block over `tcp` or `all` whose `ports` cover the port
    /// (no `ports` means every port).
    ///
    /// ## Why it matters
    /// Internet-wide scanners find an open SSH, RDP or database port within minutes; from
    /// then on the only protection is the password or key, and the service's own
    /// vulnerabilities are exposed to everyone.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_compute_firewall" "ssh" {
    ///   name          = "allow-ssh"
    ///   network       = google_compute_network.main.id
    ///   source_ranges = ["0.0.0.0/0"]
    ///   allow {
    ///     protocol = "tcp"
    ///     ports    = ["22"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Allow only known ranges, or reach instances through Identity-Aware Proxy TCP
    /// forwarding (source range `35.235.240.0/20`) or OS Login behind a bastion:
    /// ```hcl
    /// source_ranges = ["35.235.240.0/20"]
    /// ```
    ///
    /// ## References
    /// - CWE-284
    /// - [Google Cloud: VPC firewall rules](https://cloud.google.com/firewall/docs/firewalls)
    /// - [Google Cloud: use IAP for TCP forwarding](https://cloud.google.com/iap/docs/using-tcp-forwarding)
    /// - Checkov CKV_GCP_2, CKV_GCP_3
    pub static RULE = {
        id: "iac/gcp-firewall-open-admin-port",
        code: "IAC188",
        title: "firewall rule opens an administrative or database port to the internet",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// The port ranges an `allow` block opens, when its protocol is TCP (or every protocol).
fn allowed_ranges(allow: &Node) -> Vec<(u32, u32)> {
    let Some(protocol) = allow.get("protocol").and_then(Node::as_str) else {
        return Vec::new();
    };
    let protocol = protocol.trim().to_ascii_lowercase();
    if protocol == "all" {
        return vec![ALL_PORTS];
    }
    if protocol != "tcp" && protocol != "6" {
        return Vec::new();
    }
    match allow.get("ports") {
        None => vec![ALL_PORTS],
        Some(n) if n.is_null() => vec![ALL_PORTS],
        Some(n) if matches!(&n.val, Val::List(items) if items.is_empty()) => vec![ALL_PORTS],
        Some(n) => port_ranges(n),
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["google_compute_firewall"]) {
        if r.bool_at("disabled") == Some(true) {
            continue;
        }
        if let Some(d) = r.at("direction")
            && !text_is(Some(d), "INGRESS")
        {
            continue;
        }
        let ranges = r
            .at("source_ranges")
            .filter(|n| !n.is_null() && !matches!(&n.val, Val::List(items) if items.is_empty()));
        // Where the open source is written (none when the rule names no source), and what it is.
        let (at, open) = match ranges {
            Some(n) => match open_cidrs(Some(n)).first() {
                Some(c) => (Some(n), (*c).trim().to_owned()),
                None => continue,
            },
            None => {
                if r.is_set("source_tags") || r.is_set("source_service_accounts") {
                    continue;
                }
                (None, "0.0.0.0/0".to_owned())
            }
        };
        let mut hit: Vec<String> = Vec::new();
        for allow in r.body.all("allow") {
            for port in admin_ports_in(&allowed_ranges(allow)) {
                if !hit.contains(&port) {
                    hit.push(port);
                }
            }
        }
        if hit.is_empty() {
            continue;
        }
        let builder = match at {
            Some(n) => cx.at(&RULE, r, n).message(format!(
                "firewall `{}` lets `{open}` reach {}",
                r.addr,
                describe_ports(&hit)
            )),
            None => cx.missing(&RULE, r, "source_ranges").message(format!(
                "firewall `{}` names no source, so it admits `{open}`, and reaches {}",
                r.addr,
                describe_ports(&hit)
            )),
        };
        out.push(builder);
    }
}

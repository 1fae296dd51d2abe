use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::is_open_cidr;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A Cloud SQL instance (`google_sql_database_instance`) with a public IP whose
    /// `settings.ip_configuration.authorized_networks` contains `0.0.0.0/0` (or `::/0`).
    /// Instances with `ipv4_enabled = false` have no public IP and are skipped.
    ///
    /// ## Why it matters
    /// The database then accepts connections from every address: its login is exposed to
    /// credential stuffing and brute force, and any vulnerability of the engine to every
    /// scanner on the internet.
    ///
    /// ## Example
    /// ```hcl
    /// settings {
    ///   ip_configuration {
    ///     ipv4_enabled = true
    ///     authorized_networks {
    ///       name  = "anywhere"
    ///       value = "0.0.0.0/0"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Use a private IP (`ipv4_enabled = false` with `private_network`), or connect through
    /// the Cloud SQL Auth Proxy, and authorize only the networks that need the database.
    ///
    /// ## References
    /// - CWE-284
    /// - [Cloud SQL: authorize with authorized networks](https://cloud.google.com/sql/docs/mysql/authorize-networks)
    /// - [Cloud SQL: connect using the Cloud SQL Auth Proxy](https://cloud.google.com/sql/docs/mysql/sql-proxy)
    /// - Checkov CKV_GCP_11
    pub static RULE = {
        id: "iac/gcp-sql-authorized-network-open",
        code: "IAC189",
        title: "cloud SQL instance authorizes the whole internet",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["google_sql_database_instance"]) {
        for settings in r.body.all("settings") {
            for ip in settings.all("ip_configuration") {
                if ip.get("ipv4_enabled").and_then(Node::as_bool) == Some(false) {
                    continue;
                }
                for network in ip.all("authorized_networks") {
                    if let Some(v) = network.get("value")
                        && let Some(cidr) = v.as_str()
                        && is_open_cidr(cidr)
                    {
                        let name = network
                            .get("name")
                            .and_then(Node::as_str)
                            .map(|n| format!(" (authorized network `{n}`)"))
                            .unwrap_or_default();
                        out.push(cx.at(&RULE, r, v).message(format!(
                            "Cloud SQL instance `{}` accepts connections from `{}` on its public IP{name}",
                            r.addr,
                            cidr.trim()
                        )));
                    }
                }
            }
        }
    }
}

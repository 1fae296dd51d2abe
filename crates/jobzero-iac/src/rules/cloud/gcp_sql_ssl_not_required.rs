use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A Cloud SQL instance (`google_sql_database_instance`) with a public IP
    /// (`ipv4_enabled` not `false`) that accepts unencrypted connections:
    /// `settings.ip_configuration.ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"`,
    /// `require_ssl = false`, or neither argument (the default accepts both).
    ///
    /// ## Why it matters
    /// A client that does not ask for TLS sends the database password and every query result
    /// in clear across the internet, where anyone on the path can read or change them.
    ///
    /// ## Example
    /// ```hcl
    /// settings {
    ///   tier = "db-f1-micro"
    ///   ip_configuration {
    ///     ipv4_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Refuse unencrypted connections (or require client certificates), or connect only
    /// through the Cloud SQL Auth Proxy on a private IP:
    /// ```hcl
    /// ip_configuration {
    ///   ipv4_enabled = true
    ///   ssl_mode     = "ENCRYPTED_ONLY"
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-319
    /// - [Cloud SQL: configure SSL/TLS certificates](https://cloud.google.com/sql/docs/postgres/configure-ssl-instance)
    /// - Checkov CKV_GCP_6
    pub static RULE = {
        id: "iac/gcp-sql-ssl-not-required",
        code: "IAC190",
        title: "cloud SQL instance accepts unencrypted connections",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["google_sql_database_instance"]) {
        if r.at("settings").is_none() {
            continue;
        }
        let ip = r.at("settings.ip_configuration");
        if ip
            .and_then(|i| i.get("ipv4_enabled"))
            .and_then(Node::as_bool)
            == Some(false)
        {
            continue;
        }
        if let Some(mode) = ip.and_then(|i| i.get("ssl_mode"))
            && !mode.is_null()
        {
            if let Some(m) = mode.as_str()
                && m.trim() == "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
            {
                out.push(cx.at(&RULE, r, mode).message(format!(
                    "Cloud SQL instance `{}` accepts unencrypted connections (`ssl_mode = \"ALLOW_UNENCRYPTED_AND_ENCRYPTED\"`)",
                    r.addr
                )));
            }
            continue;
        }
        match ip.and_then(|i| i.get("require_ssl")) {
            Some(n) if n.as_bool() == Some(false) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "Cloud SQL instance `{}` accepts unencrypted connections (`require_ssl = false`)",
                    r.addr
                )));
            }
            Some(n) if !n.is_null() => {}
            _ => {
                out.push(
                    cx.missing(&RULE, r, "settings.ip_configuration.ssl_mode")
                        .message(format!(
                            "Cloud SQL instance `{}` sets neither `ssl_mode` nor `require_ssl`, so its public IP accepts unencrypted connections",
                            r.addr
                        )),
                );
            }
        }
    }
}

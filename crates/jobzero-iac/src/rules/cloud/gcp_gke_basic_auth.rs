use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A GKE cluster (`google_container_cluster`) with a static credential for its API
    /// server: basic authentication (`master_auth` with a non-empty `username` or a
    /// `password`), or a legacy client certificate
    /// (`master_auth.client_certificate_config.issue_client_certificate = true`).
    ///
    /// ## Why it matters
    /// A basic-auth password and a legacy client certificate are cluster-admin credentials
    /// that never expire and cannot be revoked short of rotating the cluster's credentials;
    /// they end up in state files, CI logs and laptops, and work for whoever copies them.
    ///
    /// ## Example
    /// ```hcl
    /// master_auth {
    ///   username = "admin"
    ///   password = var.gke_password
    ///   client_certificate_config {
    ///     issue_client_certificate = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove the `username` and `password` and issue no client certificate; authenticate
    /// with Google identities (`gcloud` credentials, Workload Identity Federation) and grant
    /// access with IAM and RBAC:
    /// ```hcl
    /// master_auth {
    ///   client_certificate_config {
    ///     issue_client_certificate = false
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-798
    /// - [GKE: authenticate to the Kubernetes API server (legacy methods)](https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication#legacy-auth)
    /// - Checkov CKV_GCP_13
    pub static RULE = {
        id: "iac/gcp-gke-basic-auth",
        code: "IAC196",
        title: "static basic-auth password or client certificate on a GKE cluster",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::CRED_LONGTERM,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["google_container_cluster"]) {
        for auth in r.body.all("master_auth") {
            if let Some(u) = auth.get("username")
                && u.as_str().is_some_and(|s| !s.trim().is_empty())
            {
                out.push(cx.at(&RULE, r, u).message(format!(
                    "GKE cluster `{}` enables basic authentication (a static `master_auth` username and password)",
                    r.addr
                )));
            } else if let Some(p) = auth.get("password")
                && (p.as_str().is_some_and(|s| !s.is_empty()) || p.as_ref().is_some())
            {
                out.push(cx.at(&RULE, r, p).message(format!(
                    "GKE cluster `{}` enables basic authentication (a static `master_auth` password)",
                    r.addr
                )));
            }
            if let Some(c) = auth.at("client_certificate_config.issue_client_certificate")
                && c.as_bool() == Some(true)
            {
                out.push(
                    cx.at(&RULE, r, c)
                        .severity(Severity::Medium)
                        .message(format!(
                            "GKE cluster `{}` issues a legacy client certificate (`issue_client_certificate = true`), a credential that cannot be revoked",
                            r.addr
                        )),
                );
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Compute Engine instance or template (`google_compute_instance`,
    /// `google_compute_instance_template`, `google_compute_region_instance_template`) whose
    /// `service_account` block is the default compute service account (no `email`, `email =
    /// "default"`, or `...-compute@developer.gserviceaccount.com`) with the `cloud-platform`
    /// scope (full access to every Google Cloud API).
    ///
    /// ## Why it matters
    /// The default compute service account usually holds the Editor role on the project. With
    /// the `cloud-platform` scope nothing narrows it: any process on the machine (or any SSRF
    /// that reaches the metadata server) can read and change almost everything in the
    /// project.
    ///
    /// ## Example
    /// ```hcl
    /// service_account {
    ///   scopes = ["cloud-platform"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Create a dedicated service account with only the roles the workload needs, and attach
    /// it:
    /// ```hcl
    /// service_account {
    ///   email  = google_service_account.app.email
    ///   scopes = ["cloud-platform"]
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-250
    /// - [Compute Engine: service accounts (default service account and scopes)](https://cloud.google.com/compute/docs/access/service-accounts)
    /// - Checkov CKV_GCP_31
    pub static RULE = {
        id: "iac/gcp-instance-default-service-account-full-scope",
        code: "IAC193",
        title: "compute instance runs as the default service account with full API access",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// The scope that grants every API, in its short and long forms.
fn is_full_scope(scope: &str) -> bool {
    matches!(
        scope.trim(),
        "cloud-platform" | "https://www.googleapis.com/auth/cloud-platform"
    )
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "google_compute_instance",
        "google_compute_instance_template",
        "google_compute_region_instance_template",
    ]) {
        for sa in r.body.all("service_account") {
            let default = match sa.get("email") {
                None => true,
                Some(e) if e.is_null() => true,
                Some(e) => e.as_str().is_some_and(|s| {
                    let s = s.trim();
                    s == "default" || s.ends_with("-compute@developer.gserviceaccount.com")
                }),
            };
            if !default {
                continue;
            }
            let Some(scopes) = sa.get("scopes") else {
                continue;
            };
            if scopes.strings().into_iter().any(is_full_scope) {
                out.push(cx.at(&RULE, r, scopes).message(format!(
                    "`{}` runs as the default compute service account with the `cloud-platform` scope",
                    r.addr
                )));
            }
        }
    }
}

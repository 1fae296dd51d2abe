use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A GKE cluster (`google_container_cluster`) with legacy attribute-based access control
    /// switched on: `enable_legacy_abac = true`.
    ///
    /// ## Why it matters
    /// Legacy ABAC grants broad, static permissions that bypass Kubernetes RBAC: with it on,
    /// service accounts and users get far more than their roles say (historically, every
    /// pod's service account had full cluster access), so one compromised pod can take the
    /// cluster.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name               = "orders"
    ///   enable_legacy_abac = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove the argument (legacy ABAC is off by default) and grant access with Kubernetes
    /// RBAC and IAM.
    ///
    /// ## References
    /// - CWE-269
    /// - [GKE: harden your cluster's security (leave legacy ABAC disabled)](https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#leave_abac_disabled)
    /// - Checkov CKV_GCP_7
    pub static RULE = {
        id: "iac/gcp-gke-legacy-abac",
        code: "IAC194",
        title: "legacy ABAC authorization enabled on a GKE cluster",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["google_container_cluster"]) {
        if let Some(n) = r.at("enable_legacy_abac")
            && n.as_bool() == Some(true)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "GKE cluster `{}` enables legacy ABAC authorization (`enable_legacy_abac = true`), which bypasses Kubernetes RBAC",
                r.addr
            )));
        }
    }
}

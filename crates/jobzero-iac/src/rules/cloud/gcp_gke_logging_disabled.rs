use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::text_is;
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Val;

declare_rule! {
    /// ## What it finds
    /// A GKE cluster (`google_container_cluster`) that sends no logs to Cloud Logging:
    /// `logging_service = "none"`, or `logging_config { enable_components = [] }`.
    ///
    /// ## Why it matters
    /// Without the cluster's system, API server and workload logs, an intrusion (a crypto
    /// miner, a pod that reads secrets, a shell in a container) leaves no trace to detect or
    /// scope it. Cloud Audit Logs still record the GKE API calls, but not what happens inside
    /// the cluster.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name            = "orders"
    ///   logging_service = "none"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove the argument (the default sends logs to Cloud Logging) or name the components
    /// to log:
    /// ```hcl
    /// logging_config {
    ///   enable_components = ["SYSTEM_COMPONENTS", "APISERVER", "WORKLOADS"]
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-778
    /// - [GKE: about GKE logs](https://cloud.google.com/kubernetes-engine/docs/concepts/about-logs)
    /// - Checkov CKV_GCP_1
    pub static RULE = {
        id: "iac/gcp-gke-logging-disabled",
        code: "IAC197",
        title: "kubernetes cluster (GKE) sends no logs to Cloud Logging",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["google_container_cluster"]) {
        if let Some(n) = r.at("logging_service")
            && text_is(Some(n), "none")
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "GKE cluster `{}` sends no logs to Cloud Logging (`logging_service = \"none\"`)",
                r.addr
            )));
        }
        if let Some(n) = r.at("logging_config.enable_components")
            && matches!(&n.val, Val::List(items) if items.is_empty())
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "GKE cluster `{}` sends no logs to Cloud Logging (`logging_config.enable_components = []`)",
                r.addr
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::text_is;
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// GKE nodes whose Compute Engine metadata server is exposed to pods the unsafe way, in the
    /// `node_config` of `google_container_cluster` (also inside its `node_pool` blocks) and of
    /// `google_container_node_pool`:
    /// - `workload_metadata_config { mode = "GCE_METADATA" }` (or `node_metadata = "EXPOSE"`
    ///   before provider 4.0): pods reach the node's metadata server directly instead of the
    ///   GKE metadata server;
    /// - `metadata = { disable-legacy-endpoints = "false" }`: the legacy `v0.1` and
    ///   `v1beta1` endpoints, which answer without the `Metadata-Flavor` header, stay on.
    ///
    /// ## Why it matters
    /// The node's metadata server hands out the node service account's token and the
    /// kubelet's bootstrap credentials. Any pod, or any server-side request forgery in a pod,
    /// can fetch them and act as the node; the legacy endpoints even work through a plain GET
    /// that an SSRF can make (the equivalent of AWS IMDSv1).
    ///
    /// ## Example
    /// ```hcl
    /// node_config {
    ///   metadata = {
    ///     disable-legacy-endpoints = "false"
    ///   }
    ///   workload_metadata_config {
    ///     mode = "GCE_METADATA"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Use Workload Identity with the GKE metadata server, and keep the legacy endpoints off
    /// (the default since GKE 1.12):
    /// ```hcl
    /// node_config {
    ///   workload_metadata_config {
    ///     mode = "GKE_METADATA"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-918
    /// - [GKE: about Workload Identity Federation for GKE (GKE metadata server)](https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity)
    /// - [GKE: protect cluster metadata (disable legacy metadata APIs)](https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata)
    /// - Checkov CKV_GCP_69
    pub static RULE = {
        id: "iac/gcp-gke-node-metadata-exposed",
        code: "IAC198",
        title: "node metadata server of a GKE cluster exposed to pods",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IMDSV2,
    }
}

/// Every `node_config` of a cluster (its own and its inline node pools') or node pool.
fn node_configs(r: &Resource) -> Vec<&Node> {
    let mut configs = r.body.all("node_config");
    for pool in r.body.all("node_pool") {
        configs.extend(pool.all("node_config"));
    }
    configs
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["google_container_cluster", "google_container_node_pool"]) {
        for config in node_configs(r) {
            if let Some(n) = config.at("workload_metadata_config.mode")
                && text_is(Some(n), "GCE_METADATA")
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "`{}` lets pods reach the node's metadata server and its credentials (`workload_metadata_config.mode = \"GCE_METADATA\"`)",
                    r.addr
                )));
            } else if let Some(n) = config.at("workload_metadata_config.node_metadata")
                && text_is(Some(n), "EXPOSE")
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "`{}` lets pods reach the node's metadata server and its credentials (`workload_metadata_config.node_metadata = \"EXPOSE\"`)",
                    r.addr
                )));
            }
            if let Some(n) = config.at("metadata.disable-legacy-endpoints")
                && n.as_bool() == Some(false)
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "`{}` keeps the legacy metadata endpoints, which answer without the `Metadata-Flavor` header (`disable-legacy-endpoints = {n}`)",
                    r.addr
                )));
            }
        }
    }
}

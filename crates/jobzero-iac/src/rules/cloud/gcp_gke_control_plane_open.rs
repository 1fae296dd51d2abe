use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::is_open_cidr;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A GKE cluster (`google_container_cluster`) whose control plane accepts connections
    /// from any address: no `master_authorized_networks_config` block, or one whose
    /// `cidr_blocks` include `0.0.0.0/0`. Clusters with a private endpoint only
    /// (`private_cluster_config.enable_private_endpoint = true`) are skipped.
    ///
    /// ## Why it matters
    /// The Kubernetes API is the cluster's control plane. Reachable from the internet, a
    /// leaked kubeconfig or token works from anywhere, and any API server vulnerability is
    /// exposed to every scanner.
    ///
    /// ## Example
    /// ```hcl
    /// master_authorized_networks_config {
    ///   cidr_blocks {
    ///     cidr_block   = "0.0.0.0/0"
    ///     display_name = "anywhere"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Authorize only the ranges that administer the cluster (a VPN, CI runners), or make the
    /// endpoint private:
    /// ```hcl
    /// master_authorized_networks_config {
    ///   cidr_blocks {
    ///     cidr_block   = "203.0.113.0/24"
    ///     display_name = "office"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-284
    /// - [GKE: add authorized networks for control plane access](https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks)
    /// - Checkov CKV_GCP_18, CKV_GCP_20
    pub static RULE = {
        id: "iac/gcp-gke-control-plane-open",
        code: "IAC195",
        title: "kubernetes control plane (GKE) reachable from any address",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["google_container_cluster"]) {
        if r.at("private_cluster_config.enable_private_endpoint")
            .and_then(Node::as_bool)
            == Some(true)
        {
            continue;
        }
        let Some(config) = r.body.get_direct("master_authorized_networks_config") else {
            out.push(
                cx.missing(&RULE, r, "master_authorized_networks_config")
                    .message(format!(
                        "GKE cluster `{}` has no `master_authorized_networks_config`, so its control plane accepts connections from any address",
                        r.addr
                    )),
            );
            continue;
        };
        for c in config.items() {
            for block in c.all("cidr_blocks") {
                if let Some(n) = block.get("cidr_block")
                    && let Some(cidr) = n.as_str()
                    && is_open_cidr(cidr)
                {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "GKE cluster `{}` authorizes `{}` to reach its control plane",
                        r.addr,
                        cidr.trim()
                    )));
                }
            }
        }
    }
}

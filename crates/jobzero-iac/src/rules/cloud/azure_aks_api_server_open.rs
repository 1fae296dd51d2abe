use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::is_open_cidr;
use crate::node::Val;

declare_rule! {
    /// ## What it finds
    /// An AKS cluster (`azurerm_kubernetes_cluster`) whose API server accepts connections from
    /// any address: not a private cluster (`private_cluster_enabled` not `true`) and no
    /// authorized IP ranges (`api_server_access_profile.authorized_ip_ranges`, or
    /// `api_server_authorized_ip_ranges` before provider 3.39), an empty list, or a list that
    /// contains `0.0.0.0/0`.
    ///
    /// ## Why it matters
    /// The Kubernetes API is the cluster's control plane. Reachable from the internet, a
    /// leaked kubeconfig or token works from anywhere, and any API server vulnerability is
    /// exposed to every scanner.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name       = "orders-aks"
    ///   dns_prefix = "orders"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Make the cluster private, or limit the API server to the ranges that administer it
    /// (a VPN, CI runners):
    /// ```hcl
    /// api_server_access_profile {
    ///   authorized_ip_ranges = ["203.0.113.0/24"]
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-284
    /// - [AKS: secure access to the API server using authorized IP address ranges](https://learn.microsoft.com/en-us/azure/aks/api-server-authorized-ip-ranges)
    /// - [AKS: create a private cluster](https://learn.microsoft.com/en-us/azure/aks/private-clusters)
    /// - Checkov CKV_AZURE_6
    pub static RULE = {
        id: "iac/azure-aks-api-server-open",
        code: "IAC183",
        title: "managed Kubernetes API server (AKS) reachable from any address",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_kubernetes_cluster"]) {
        if r.bool_at("private_cluster_enabled") == Some(true) {
            continue;
        }
        let ranges = [
            "api_server_access_profile.authorized_ip_ranges",
            "api_server_authorized_ip_ranges",
        ]
        .into_iter()
        .filter_map(|p| r.at(p))
        .find(|n| !n.is_null());
        let Some(n) = ranges else {
            out.push(
                cx.missing(&RULE, r, "api_server_access_profile.authorized_ip_ranges")
                    .message(format!(
                        "AKS cluster `{}` is not private and authorizes no IP ranges, so its API server accepts connections from any address",
                        r.addr
                    )),
            );
            continue;
        };
        let cidrs = n.strings();
        if let Some(open) = cidrs.iter().find(|c| is_open_cidr(c)) {
            out.push(cx.at(&RULE, r, n).message(format!(
                "AKS cluster `{}` authorizes `{open}` to reach its API server",
                r.addr
            )));
        } else if matches!(&n.val, Val::List(items) if items.is_empty()) {
            out.push(cx.at(&RULE, r, n).message(format!(
                "AKS cluster `{}` authorizes an empty list of IP ranges, so its API server accepts connections from any address",
                r.addr
            )));
        }
    }
}

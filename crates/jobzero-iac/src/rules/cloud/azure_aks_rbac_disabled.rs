use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An AKS cluster (`azurerm_kubernetes_cluster`) with Kubernetes RBAC switched off:
    /// `role_based_access_control_enabled = false` (provider 3.x and later) or
    /// `role_based_access_control { enabled = false }` (provider 2.x).
    ///
    /// ## Why it matters
    /// Without RBAC, the API server authorizes nothing: every authenticated identity, every
    /// service account token mounted in every pod, can read every secret and change every
    /// workload of the cluster. One compromised pod is the whole cluster.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                              = "orders-aks"
    ///   role_based_access_control_enabled = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Keep RBAC on (the default; changing it recreates the cluster) and grant roles per
    /// namespace, ideally with Microsoft Entra ID integration:
    /// ```hcl
    /// role_based_access_control_enabled = true
    /// azure_active_directory_role_based_access_control {
    ///   azure_rbac_enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-862
    /// - [AKS: access and identity options](https://learn.microsoft.com/en-us/azure/aks/concepts-identity)
    /// - [Kubernetes: using RBAC authorization](https://kubernetes.io/docs/reference/access-authn-authz/rbac/)
    /// - Checkov CKV_AZURE_5
    pub static RULE = {
        id: "iac/azure-aks-rbac-disabled",
        code: "IAC182",
        title: "managed Kubernetes cluster (AKS) without RBAC",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_kubernetes_cluster"]) {
        for (path, shown) in [
            (
                "role_based_access_control_enabled",
                "role_based_access_control_enabled = false",
            ),
            (
                "role_based_access_control.enabled",
                "role_based_access_control.enabled = false",
            ),
        ] {
            if let Some(n) = r.at(path)
                && n.as_bool() == Some(false)
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "AKS cluster `{}` has Kubernetes RBAC switched off (`{shown}`)",
                    r.addr
                )));
            }
        }
    }
}

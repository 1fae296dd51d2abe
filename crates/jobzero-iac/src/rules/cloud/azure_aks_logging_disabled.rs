use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An AKS cluster (`azurerm_kubernetes_cluster`) that sends nothing to Azure Monitor: no
    /// `oms_agent` block (provider 3.x and later) or `addon_profile.oms_agent.enabled` absent
    /// or `false` (provider 2.x), and no `azurerm_monitor_diagnostic_setting` in the module
    /// whose `target_resource_id` is the cluster (the control-plane logs, including
    /// `kube-audit`).
    ///
    /// ## Why it matters
    /// Without control-plane and container logs, nobody can tell who created a privileged
    /// pod, read a secret or exec'ed into a container; an intrusion in the cluster cannot be
    /// detected or scoped.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name = "orders-aks"
    ///   addon_profile {
    ///     oms_agent {
    ///       enabled = false
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Send the control-plane logs (at least `kube-audit-admin`) to a Log Analytics workspace
    /// with a diagnostic setting, and enable Container insights:
    /// ```hcl
    /// resource "azurerm_monitor_diagnostic_setting" "aks" {
    ///   name                       = "aks-audit"
    ///   target_resource_id         = azurerm_kubernetes_cluster.main.id
    ///   log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
    ///   enabled_log {
    ///     category = "kube-audit-admin"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-778
    /// - [AKS: monitor AKS with Azure Monitor (resource logs)](https://learn.microsoft.com/en-us/azure/aks/monitor-aks)
    /// - Checkov CKV_AZURE_4
    pub static RULE = {
        id: "iac/azure-aks-logging-disabled",
        code: "IAC184",
        title: "managed Kubernetes cluster (AKS) sends no logs to Azure Monitor",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::Medium,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_kubernetes_cluster"]) {
        if r.is_set("oms_agent")
            || !cx
                .graph
                .linked(
                    r,
                    "azurerm_monitor_diagnostic_setting",
                    "target_resource_id",
                )
                .is_empty()
        {
            continue;
        }
        match r.at("addon_profile.oms_agent.enabled") {
            Some(n) if n.as_bool() == Some(false) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "AKS cluster `{}` switches the monitoring agent off (`oms_agent.enabled = false`) and no diagnostic setting sends its control-plane logs",
                    r.addr
                )));
            }
            Some(n) if !n.is_null() => {}
            _ => {
                out.push(cx.missing(&RULE, r, "oms_agent").message(format!(
                    "AKS cluster `{}` sends neither container logs (`oms_agent`) nor control-plane logs (a diagnostic setting) to Azure Monitor",
                    r.addr
                )));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An Azure key vault (`azurerm_key_vault`) or managed HSM
    /// (`azurerm_key_vault_managed_hardware_security_module`) without purge protection:
    /// `purge_protection_enabled` absent or `false`. A vault with `soft_delete_enabled =
    /// false` (provider 2.x) is reported too.
    ///
    /// ## Why it matters
    /// Without purge protection, anyone who can delete a key can also purge it at once, before
    /// the soft-delete retention ends: every disk, database and storage account encrypted with
    /// that customer-managed key becomes unreadable for good. This is a known ransomware and
    /// sabotage path, and Azure requires purge protection for customer-managed keys of most
    /// services.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name     = "orders-kv"
    ///   sku_name = "standard"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Turn purge protection on (it cannot be turned off again, which is the point), with a
    /// soft-delete retention that leaves time to notice a deletion:
    /// ```hcl
    /// purge_protection_enabled   = true
    /// soft_delete_retention_days = 90
    /// ```
    ///
    /// ## References
    /// - CWE-693
    /// - [Azure Key Vault: soft-delete and purge protection](https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview)
    /// - Checkov CKV_AZURE_110, CKV_AZURE_42
    pub static RULE = {
        id: "iac/azure-key-vault-purge-protection-disabled",
        code: "IAC178",
        title: "key vault without purge protection",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "azurerm_key_vault",
        "azurerm_key_vault_managed_hardware_security_module",
    ]) {
        if let Some(n) = r.at("soft_delete_enabled")
            && n.as_bool() == Some(false)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "key vault `{}` deletes keys and secrets for good at once (`soft_delete_enabled = false`)",
                r.addr
            )));
        }
        match r.at("purge_protection_enabled") {
            Some(n) if n.as_bool() == Some(false) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "key vault `{}` lets a deleted key be purged before its retention ends (`purge_protection_enabled = false`)",
                    r.addr
                )));
            }
            Some(n) if !n.is_null() => {}
            _ => {
                out.push(cx.missing(&RULE, r, "purge_protection_enabled").message(format!(
                    "key vault `{}` has no purge protection (`purge_protection_enabled` is not set), so a deleted key can be purged at once",
                    r.addr
                )));
            }
        }
    }
}

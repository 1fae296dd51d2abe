use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::text_is;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An Azure key vault (`azurerm_key_vault`) that accepts connections from every network:
    /// `network_acls` with `default_action = "Allow"`, or no `network_acls` block at all (the
    /// default is `Allow`). Vaults with `public_network_access_enabled = false` are skipped.
    ///
    /// ## Why it matters
    /// A vault holds the keys and secrets everything else depends on. Open to every network,
    /// a leaked service principal secret or token can read them from anywhere; restricted to
    /// known networks, the same leak is useless outside them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name     = "orders-kv"
    ///   sku_name = "standard"
    ///   network_acls {
    ///     default_action = "Allow"
    ///     bypass         = "AzureServices"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Deny by default and allow the subnets and addresses that need the vault, or use a
    /// private endpoint and disable public network access:
    /// ```hcl
    /// network_acls {
    ///   default_action             = "Deny"
    ///   bypass                     = "AzureServices"
    ///   virtual_network_subnet_ids = [azurerm_subnet.app.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-284
    /// - [Azure Key Vault: configure network security](https://learn.microsoft.com/en-us/azure/key-vault/general/network-security)
    /// - Checkov CKV_AZURE_109
    pub static RULE = {
        id: "iac/azure-key-vault-network-open",
        code: "IAC179",
        title: "key vault accepts connections from every network",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_key_vault"]) {
        if r.bool_at("public_network_access_enabled") == Some(false) {
            continue;
        }
        match r.body.get_direct("network_acls") {
            Some(acls) => {
                if let Some(a) = acls.get("default_action")
                    && text_is(Some(a), "Allow")
                {
                    out.push(cx.at(&RULE, r, a).message(format!(
                        "key vault `{}` accepts connections from every network (`network_acls.default_action = \"Allow\"`)",
                        r.addr
                    )));
                }
            }
            None => {
                out.push(cx.missing(&RULE, r, "network_acls").message(format!(
                    "key vault `{}` has no `network_acls`, so it accepts connections from every network",
                    r.addr
                )));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::text_is;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An Azure storage account that accepts connections from every network: its
    /// `network_rules` block, or the `azurerm_storage_account_network_rules` resource linked to
    /// it, has `default_action = "Allow"`, or it declares neither (the default action is then
    /// `Allow`). Accounts with `public_network_access_enabled = false` are skipped.
    ///
    /// ## Why it matters
    /// With the default action `Allow`, the account's endpoints answer the whole internet:
    /// a leaked account key or SAS token works from anywhere, and nothing limits password
    /// spraying or exfiltration to known networks.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_account" "data" {
    ///   name = "companydata"
    ///   network_rules {
    ///     default_action = "Allow"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Deny by default and allow the networks that need the account (virtual network subnets,
    /// known IP ranges, trusted Azure services), or use private endpoints:
    /// ```hcl
    /// network_rules {
    ///   default_action             = "Deny"
    ///   bypass                     = ["AzureServices"]
    ///   virtual_network_subnet_ids = [azurerm_subnet.app.id]
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-284
    /// - [Azure: configure Azure Storage firewalls and virtual networks](https://learn.microsoft.com/en-us/azure/storage/common/storage-network-security)
    /// - Checkov CKV_AZURE_35
    pub static RULE = {
        id: "iac/azure-storage-account-network-open",
        code: "IAC172",
        title: "storage account accepts connections from every network",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_storage_account"]) {
        if r.bool_at("public_network_access_enabled") == Some(false) {
            continue;
        }
        if let Some(rules) = r.body.get_direct("network_rules") {
            if let Some(a) = rules.get("default_action")
                && text_is(Some(a), "Allow")
            {
                out.push(cx.at(&RULE, r, a).message(format!(
                    "storage account `{}` accepts connections from every network (`network_rules.default_action = \"Allow\"`)",
                    r.addr
                )));
            }
            continue;
        }
        let linked = ["storage_account_id", "storage_account_name"]
            .iter()
            .any(|attr| {
                !cx.graph
                    .linked(r, "azurerm_storage_account_network_rules", attr)
                    .is_empty()
            });
        if linked {
            continue;
        }
        out.push(cx.missing(&RULE, r, "network_rules").message(format!(
            "storage account `{}` declares no network rules, so it accepts connections from every network (the default action is `Allow`)",
            r.addr
        )));
    }
    for r in cx.of(&["azurerm_storage_account_network_rules"]) {
        if let Some(a) = r.at("default_action")
            && text_is(Some(a), "Allow")
        {
            out.push(cx.at(&RULE, r, a).message(format!(
                "network rules `{}` let every network reach the storage account (`default_action = \"Allow\"`)",
                r.addr
            )));
        }
    }
}

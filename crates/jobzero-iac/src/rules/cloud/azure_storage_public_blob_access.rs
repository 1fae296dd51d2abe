use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// Anonymous read access to Azure blob storage: an `azurerm_storage_container` with
    /// `container_access_type = "blob"` (anyone can read a blob whose name they know) or
    /// `"container"` (anyone can also list the container), and, with a lower severity, an
    /// `azurerm_storage_account` that explicitly lets its containers be made public
    /// (`allow_nested_items_to_be_public = true`, or `allow_blob_public_access = true` before
    /// provider 3.0).
    ///
    /// ## Why it matters
    /// A public container is readable by anyone on the internet, without a key or a SAS
    /// token, and without a trace of who read what. Public blob containers are found by
    /// scanners that enumerate storage account names.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_container" "exports" {
    ///   name                  = "exports"
    ///   storage_account_name  = azurerm_storage_account.data.name
    ///   container_access_type = "container"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Keep containers private and share individual blobs with short-lived SAS tokens (or a
    /// CDN with its own access control); forbid public containers on the account:
    /// ```hcl
    /// container_access_type           = "private"
    /// allow_nested_items_to_be_public = false
    /// ```
    ///
    /// ## References
    /// - CWE-284
    /// - [Azure: configure anonymous read access for containers and blobs](https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-configure)
    /// - [Azure: remediate anonymous read access to blob data](https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent)
    /// - Checkov CKV_AZURE_34, CKV_AZURE_190
    pub static RULE = {
        id: "iac/azure-storage-public-blob-access",
        code: "IAC171",
        title: "blob storage readable anonymously",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_storage_container"]) {
        let Some(n) = r.at("container_access_type") else {
            continue;
        };
        let Some(v) = n.as_str().map(str::trim) else {
            continue;
        };
        let what = if v.eq_ignore_ascii_case("container") {
            "list and read its blobs"
        } else if v.eq_ignore_ascii_case("blob") {
            "read its blobs"
        } else {
            continue;
        };
        out.push(cx.at(&RULE, r, n).message(format!(
            "container `{}` lets anyone on the internet {what} without credentials (`container_access_type = \"{v}\"`)",
            r.addr
        )));
    }
    for r in cx.of(&["azurerm_storage_account"]) {
        for key in [
            "allow_nested_items_to_be_public",
            "allow_blob_public_access",
        ] {
            if let Some(n) = r.at(key)
                && n.as_bool() == Some(true)
            {
                out.push(
                    cx.at(&RULE, r, n)
                        .severity(Severity::Medium)
                        .message(format!(
                            "storage account `{}` lets its containers be made public (`{key} = true`)",
                            r.addr
                        )),
                );
            }
        }
    }
}

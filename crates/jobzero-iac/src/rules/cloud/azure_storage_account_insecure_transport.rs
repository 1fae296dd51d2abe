use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An Azure storage account (`azurerm_storage_account`) that accepts plain HTTP
    /// (`enable_https_traffic_only = false`, or `https_traffic_only_enabled = false` from
    /// provider 3.x on) or TLS older than 1.2 (`min_tls_version = "TLS1_0"` or `"TLS1_1"`).
    /// Only explicit values are reported: the provider's defaults are HTTPS only and, since
    /// provider 3.0, TLS 1.2.
    ///
    /// ## Why it matters
    /// Blob, file, queue and table requests carry shared-key signatures, SAS tokens and the
    /// data itself; over HTTP or an obsolete TLS version anyone on the network path can read,
    /// change or replay them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_account" "data" {
    ///   name                      = "companydata"
    ///   enable_https_traffic_only = false
    ///   min_tls_version           = "TLS1_0"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Accept HTTPS only, with TLS 1.2 or later; removing both arguments restores these
    /// defaults:
    /// ```hcl
    /// https_traffic_only_enabled = true
    /// min_tls_version            = "TLS1_2"
    /// ```
    ///
    /// ## References
    /// - CWE-319
    /// - [Azure: require secure transfer to ensure secure connections](https://learn.microsoft.com/en-us/azure/storage/common/storage-require-secure-transfer)
    /// - [Azure: enforce a minimum TLS version for requests to a storage account](https://learn.microsoft.com/en-us/azure/storage/common/transport-layer-security-configure-minimum-version)
    /// - Checkov CKV_AZURE_3, CKV_AZURE_44
    pub static RULE = {
        id: "iac/azure-storage-account-insecure-transport",
        code: "IAC170",
        title: "storage account accepts plain HTTP or TLS older than 1.2",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["azurerm_storage_account"]) {
        for key in ["enable_https_traffic_only", "https_traffic_only_enabled"] {
            if let Some(n) = r.at(key)
                && n.as_bool() == Some(false)
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "storage account `{}` accepts plain HTTP (`{key} = false`)",
                    r.addr
                )));
            }
        }
        if let Some(n) = r.at("min_tls_version")
            && let Some(v) = n.as_str()
            && matches!(v.trim(), "TLS1_0" | "TLS1_1")
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "storage account `{}` accepts TLS older than 1.2 (`min_tls_version = \"{}\"`)",
                r.addr,
                v.trim()
            )));
        }
    }
}

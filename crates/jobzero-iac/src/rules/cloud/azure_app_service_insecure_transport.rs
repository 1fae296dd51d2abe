use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::version;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An Azure App Service web or function app (and their deployment slots) that serves
    /// plain HTTP or accepts TLS older than 1.2: `https_only` absent or `false` (the default
    /// is `false`), or `site_config` with `min_tls_version`/`minimum_tls_version` (or the SCM
    /// site's `scm_min_tls_version`/`scm_minimum_tls_version`) set to `1.0` or `1.1`. Covers
    /// `azurerm_app_service`, `azurerm_function_app`, `azurerm_linux_web_app`,
    /// `azurerm_windows_web_app`, `azurerm_linux_function_app`, `azurerm_windows_function_app`
    /// and their `_slot` resources.
    ///
    /// ## Why it matters
    /// Over plain HTTP, session cookies, tokens and form data cross the network in clear, and
    /// anyone on the path can change the pages served. TLS 1.0 and 1.1 have known weaknesses
    /// and are refused by compliance baselines.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_linux_web_app" "web" {
    ///   name       = "orders-web"
    ///   https_only = false
    ///   site_config {
    ///     minimum_tls_version = "1.0"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Redirect HTTP to HTTPS and require TLS 1.2 or later:
    /// ```hcl
    /// https_only = true
    /// site_config {
    ///   minimum_tls_version = "1.2"
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-319
    /// - [Azure App Service: enforce HTTPS and TLS versions](https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings#enforce-https)
    /// - Checkov CKV_AZURE_14, CKV_AZURE_15, CKV_AZURE_70, CKV_AZURE_153, CKV_AZURE_154
    pub static RULE = {
        id: "iac/azure-app-service-insecure-transport",
        code: "IAC181",
        title: "app service serves plain HTTP or TLS older than 1.2",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// App Service resources that take `https_only` and a `site_config`.
const TYPES: &[&str] = &[
    "azurerm_app_service",
    "azurerm_app_service_slot",
    "azurerm_function_app",
    "azurerm_function_app_slot",
    "azurerm_linux_web_app",
    "azurerm_linux_web_app_slot",
    "azurerm_windows_web_app",
    "azurerm_windows_web_app_slot",
    "azurerm_linux_function_app",
    "azurerm_linux_function_app_slot",
    "azurerm_windows_function_app",
    "azurerm_windows_function_app_slot",
];

/// The TLS version arguments of `site_config`.
const TLS_KEYS: &[&str] = &[
    "min_tls_version",
    "minimum_tls_version",
    "scm_min_tls_version",
    "scm_minimum_tls_version",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(TYPES) {
        match r.at("https_only") {
            Some(n) if n.as_bool() == Some(false) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "app `{}` serves plain HTTP (`https_only = false`)",
                    r.addr
                )));
            }
            Some(n) if !n.is_null() => {}
            _ => {
                out.push(cx.missing(&RULE, r, "https_only").message(format!(
                    "app `{}` serves plain HTTP: `https_only` is not set and defaults to `false`",
                    r.addr
                )));
            }
        }
        for config in r.body.all("site_config") {
            for key in TLS_KEYS {
                if let Some(n) = config.get(key)
                    && let Some(v) = version(n)
                    && matches!(v.as_str(), "1.0" | "1.1")
                {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "app `{}` accepts TLS older than 1.2 (`site_config.{key} = \"{v}\"`)",
                        r.addr
                    )));
                }
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An Azure Linux virtual machine or scale set that accepts SSH password logins:
    /// `disable_password_authentication = false` on `azurerm_linux_virtual_machine` and
    /// `azurerm_linux_virtual_machine_scale_set`, in the `os_profile_linux_config` block of
    /// `azurerm_virtual_machine` and `azurerm_virtual_machine_scale_set`, or in
    /// `os_profile.linux_configuration` of `azurerm_orchestrated_virtual_machine_scale_set`.
    ///
    /// ## Why it matters
    /// A password is a long-term secret that can be guessed, sprayed, phished or reused from
    /// another breach; bots try SSH passwords on every public address all day. SSH keys (or
    /// Entra ID login) cannot be brute-forced.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_linux_virtual_machine" "app" {
    ///   name                            = "app"
    ///   admin_username                  = "azureuser"
    ///   admin_password                  = var.admin_password
    ///   disable_password_authentication = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Log in with SSH keys or Microsoft Entra ID, and keep password authentication off (the
    /// provider's default):
    /// ```hcl
    /// disable_password_authentication = true
    /// admin_ssh_key {
    ///   username   = "azureuser"
    ///   public_key = file("id_ed25519.pub")
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-309
    /// - [Azure: SSH keys for Linux VMs](https://learn.microsoft.com/en-us/azure/virtual-machines/linux/create-ssh-keys-detailed)
    /// - [Azure: log in to a Linux VM with Microsoft Entra ID](https://learn.microsoft.com/en-us/entra/identity/devices/howto-vm-sign-in-azure-ad-linux)
    /// - Checkov CKV_AZURE_1, CKV_AZURE_49, CKV_AZURE_149
    pub static RULE = {
        id: "iac/azure-vm-password-authentication",
        code: "IAC180",
        title: "virtual machine accepts SSH password logins",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::CRED_LONGTERM,
    }
}

fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, n: &Node) {
    if n.as_bool() == Some(false) {
        out.push(cx.at(&RULE, r, n).message(format!(
            "Linux virtual machine `{}` accepts SSH password logins (`disable_password_authentication = false`)",
            r.addr
        )));
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "azurerm_linux_virtual_machine",
        "azurerm_linux_virtual_machine_scale_set",
    ]) {
        if let Some(n) = r.at("disable_password_authentication") {
            report(cx, out, r, n);
        }
    }
    for r in cx.of(&[
        "azurerm_virtual_machine",
        "azurerm_virtual_machine_scale_set",
    ]) {
        for config in r.body.all("os_profile_linux_config") {
            if let Some(n) = config.get("disable_password_authentication") {
                report(cx, out, r, n);
            }
        }
    }
    for r in cx.of(&["azurerm_orchestrated_virtual_machine_scale_set"]) {
        if let Some(n) = r.at("os_profile.linux_configuration.disable_password_authentication") {
            report(cx, out, r, n);
        }
    }
}

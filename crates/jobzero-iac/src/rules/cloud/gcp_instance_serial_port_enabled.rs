use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// Interactive serial console access enabled on Compute Engine: `serial-port-enable`
    /// set to `true` (or `"TRUE"`) in the `metadata` of `google_compute_instance`,
    /// `google_compute_instance_template`, `google_compute_region_instance_template` or
    /// `google_compute_instance_from_template`, in project-wide
    /// `google_compute_project_metadata`, or as a `google_compute_project_metadata_item`.
    ///
    /// ## Why it matters
    /// The serial console is reachable from the internet through Google's serial port
    /// gateway, whatever the VPC firewall says, and it does not honour IP-based access
    /// restrictions; a leaked key or a guessed local password gives a root console.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_compute_instance" "app" {
    ///   name = "app"
    ///   metadata = {
    ///     serial-port-enable = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove the metadata key (the console is off by default), enable it only for the time
    /// of a debugging session, and enforce the `compute.disableSerialPortAccess`
    /// organization policy.
    ///
    /// ## References
    /// - CWE-284
    /// - [Compute Engine: interacting with the serial console](https://cloud.google.com/compute/docs/troubleshooting/troubleshooting-using-serial-console)
    /// - Checkov CKV_GCP_35
    pub static RULE = {
        id: "iac/gcp-instance-serial-port-enabled",
        code: "IAC191",
        title: "serial console access enabled on a compute instance",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "google_compute_instance",
        "google_compute_instance_template",
        "google_compute_region_instance_template",
        "google_compute_instance_from_template",
        "google_compute_project_metadata",
    ]) {
        if let Some(n) = r.at("metadata.serial-port-enable")
            && n.as_bool() == Some(true)
        {
            let scope = if r.is(&["google_compute_project_metadata"]) {
                "for every instance of the project"
            } else {
                "on the instance"
            };
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` enables the interactive serial console {scope} (`serial-port-enable = {n}`)",
                r.addr
            )));
        }
    }
    for r in cx.of(&["google_compute_project_metadata_item"]) {
        if r.str_at("key").map(str::trim) == Some("serial-port-enable")
            && let Some(n) = r.at("value")
            && n.as_bool() == Some(true)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` enables the interactive serial console for every instance of the project (`serial-port-enable = {n}`)",
                r.addr
            )));
        }
    }
}

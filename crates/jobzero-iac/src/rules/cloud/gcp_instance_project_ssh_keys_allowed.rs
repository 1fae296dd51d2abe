use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A Compute Engine instance or template (`google_compute_instance`,
    /// `google_compute_instance_template`, `google_compute_region_instance_template`) that
    /// accepts project-wide SSH keys: its `metadata` has `block-project-ssh-keys = false`, or
    /// does not set it at all. Instances that use OS Login (`enable-oslogin = true` in their
    /// metadata, or in project metadata of the module without an instance override) are
    /// skipped: OS Login ignores metadata keys.
    ///
    /// ## Why it matters
    /// A key added to project metadata opens every instance of the project that does not
    /// block it. Project keys are long-lived, shared, rarely rotated, and their owners leave:
    /// one leaked or forgotten key is a shell on every machine.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_compute_instance" "app" {
    ///   name = "app"
    ///   metadata = {
    ///     block-project-ssh-keys = false
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Use OS Login, so that SSH access follows IAM and short-lived certificates, or at least
    /// block project-wide keys on each instance:
    /// ```hcl
    /// metadata = {
    ///   enable-oslogin         = "TRUE"
    ///   block-project-ssh-keys = true
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-798
    /// - [Compute Engine: about SSH connections (project-wide and instance keys)](https://cloud.google.com/compute/docs/connect/add-ssh-keys)
    /// - [Compute Engine: about OS Login](https://cloud.google.com/compute/docs/oslogin)
    /// - Checkov CKV_GCP_32
    pub static RULE = {
        id: "iac/gcp-instance-project-ssh-keys-allowed",
        code: "IAC192",
        title: "compute instance accepts project-wide SSH keys",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::CRED_LONGTERM,
    }
}

/// Whether the module turns OS Login on for the whole project.
fn project_os_login(cx: &Cx<'_>) -> bool {
    cx.graph
        .of(&["google_compute_project_metadata"])
        .any(|p| p.at("metadata.enable-oslogin").and_then(Node::as_bool) == Some(true))
        || cx
            .graph
            .of(&["google_compute_project_metadata_item"])
            .any(|p| {
                p.str_at("key").map(str::trim) == Some("enable-oslogin")
                    && p.at("value").and_then(Node::as_bool) == Some(true)
            })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let instances = cx.of(&[
        "google_compute_instance",
        "google_compute_instance_template",
        "google_compute_region_instance_template",
    ]);
    if instances.is_empty() {
        return;
    }
    let project = project_os_login(cx);
    for r in instances {
        let os_login = r
            .at("metadata.enable-oslogin")
            .and_then(Node::as_bool)
            .unwrap_or(project);
        if os_login {
            continue;
        }
        match r.at("metadata.block-project-ssh-keys") {
            Some(n) if n.as_bool() == Some(false) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "`{}` accepts project-wide SSH keys (`block-project-ssh-keys = {n}`) and does not use OS Login",
                    r.addr
                )));
            }
            Some(n) if !n.is_null() => {}
            _ => {
                if r.at("metadata").is_some_and(|m| !m.is_known()) {
                    continue;
                }
                out.push(
                    cx.missing(&RULE, r, "metadata.block-project-ssh-keys")
                        .message(format!(
                            "`{}` accepts project-wide SSH keys (no `block-project-ssh-keys` in its metadata) and does not use OS Login",
                            r.addr
                        )),
                );
            }
        }
    }
}

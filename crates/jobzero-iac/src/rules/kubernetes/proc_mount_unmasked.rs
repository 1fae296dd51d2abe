use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{container_of, own};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) with `securityContext.procMount: Unmasked`.
    ///
    /// ## Why it matters
    /// The runtime masks or mounts read-only the parts of `/proc` that expose the node's
    /// kernel: `/proc/sys`, `/proc/sysrq-trigger`, `/proc/kcore`, `/proc/keys`. Unmasked, a
    /// container can read kernel memory and keys, change kernel parameters for the whole node
    /// or trigger its reboot; combined with root it is a short way out of the container.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   procMount: Unmasked
    /// ```
    ///
    /// ## Remediation
    /// Remove `procMount` (or set it to `Default`); the few nested-container builders that
    /// need an unmasked `/proc` should run in a user namespace (`hostUsers: false`) on
    /// dedicated nodes.
    ///
    /// ## References
    /// - CWE-668
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    pub static RULE = {
        id: "iac/proc-mount-unmasked",
        code: "IAC138",
        title: "container sees the node's unmasked /proc",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        for c in kube::containers(spec) {
            if let Some(n) = own(c, "procMount")
                && n.as_str()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("unmasked"))
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "{} sets `procMount: Unmasked`, exposing the kernel's `/proc` files",
                    container_of(r, c)
                )));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{container_of, is_windows, own};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) whose `securityContext.capabilities.drop` does not hold `ALL`:
    /// it keeps the runtime's default capabilities (`NET_RAW`, `CHOWN`, `DAC_OVERRIDE`,
    /// `SETUID`, `MKNOD`, ...). Pods for Windows nodes are skipped.
    ///
    /// ## Why it matters
    /// The default set is more than most workloads use: `NET_RAW` lets a compromised container
    /// craft packets to spoof or poison its neighbours (ARP, DNS), `DAC_OVERRIDE` ignores file
    /// permissions, `SETUID` changes identity. Dropping everything and adding back the one
    /// capability needed shrinks what an attacker inherits.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["NET_RAW"]
    /// ```
    ///
    /// ## Remediation
    /// Drop `ALL` capabilities and add back only what the process needs (often nothing, or
    /// `NET_BIND_SERVICE` to bind a port below 1024).
    ///
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    /// ```
    ///
    /// ## References
    /// - CWE-250
    /// - [Kubernetes: Pod Security Standards (restricted)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - Checkov CKV_K8S_37, CKV_K8S_28
    pub static RULE = {
        id: "iac/capabilities-not-dropped",
        code: "IAC119",
        title: "container keeps the default Linux capabilities",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if is_windows(spec) {
            continue;
        }
        for c in kube::containers(spec) {
            let caps = own(c, "capabilities");
            if caps.is_some_and(|n| !n.is_known()) {
                continue;
            }
            match caps.and_then(|n| n.get_direct("drop")).filter(|d| !d.is_null()) {
                Some(d) if !d.is_known() => {}
                Some(d) if d.strings().iter().any(|s| s.trim().eq_ignore_ascii_case("ALL")) => {}
                Some(d) => out.push(cx.at(&RULE, r, d).message(format!(
                    "{} drops `{d}` but not `ALL` capabilities",
                    container_of(r, c)
                ))),
                None => out.push(cx.at(&RULE, r, c).message(format!(
                    "{} does not drop `ALL` capabilities (`securityContext.capabilities.drop`)",
                    container_of(r, c)
                ))),
            }
        }
    }
}

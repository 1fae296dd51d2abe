use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{added_capabilities, container_of, is_windows};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) whose `securityContext.capabilities.add` holds a Linux
    /// capability beyond the default set the Pod Security Standards baseline allows
    /// (`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`,
    /// `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT`). `ALL`,
    /// `SYS_ADMIN`, `SYS_MODULE`, `SYS_PTRACE`, `SYS_RAWIO`, `DAC_READ_SEARCH`, `NET_ADMIN`,
    /// `BPF`, `PERFMON`, `SYS_BOOT`, `MAC_ADMIN` and `MAC_OVERRIDE` are high severity; any
    /// other extra capability (`NET_RAW`, `IPC_LOCK`, `SYS_TIME`, ...) medium. The `CAP_`
    /// prefix and letter case are ignored.
    ///
    /// ## Why it matters
    /// Capabilities are pieces of root. `SYS_ADMIN` is nearly all of it (mount, namespaces,
    /// BPF) and with it most container escapes are one command; `SYS_MODULE` loads kernel
    /// modules; `SYS_PTRACE` reads and rewrites other processes; `DAC_READ_SEARCH` opens any
    /// file of the host by handle (the "shocker" escape); `NET_ADMIN` and `NET_RAW` rewrite
    /// routes and spoof traffic of the node's network.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     add: ["SYS_ADMIN"]
    /// ```
    ///
    /// ## Remediation
    /// Remove the capability; if the workload truly needs one, add only that one, drop `ALL`
    /// first, and keep the container non-root.
    ///
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]
    /// ```
    ///
    /// ## References
    /// - CWE-250
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - [capabilities(7)](https://man7.org/linux/man-pages/man7/capabilities.7.html)
    /// - Checkov CKV_K8S_25, CKV_K8S_39
    pub static RULE = {
        id: "iac/dangerous-capability-added",
        code: "IAC118",
        title: "container adds a dangerous Linux capability",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

/// What the Pod Security Standards baseline lets a container add (the runtime's default set).
const BASELINE: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Capabilities that amount to root on the node, or close.
const ROOTLIKE: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "DAC_READ_SEARCH",
    "NET_ADMIN",
    "BPF",
    "PERFMON",
    "SYS_BOOT",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if is_windows(spec) {
            continue;
        }
        for c in kube::containers(spec) {
            for (cap, node) in added_capabilities(c) {
                if BASELINE.contains(&cap.as_str()) || cap.is_empty() {
                    continue;
                }
                let builder = cx.at(&RULE, r, node);
                if ROOTLIKE.contains(&cap.as_str()) {
                    out.push(builder.message(format!(
                        "{} adds capability `{cap}`, which is close to root on the node",
                        container_of(r, c)
                    )));
                } else {
                    out.push(builder.severity(Severity::Medium).message(format!(
                        "{} adds capability `{cap}`, beyond the baseline set",
                        container_of(r, c)
                    )));
                }
            }
        }
    }
}

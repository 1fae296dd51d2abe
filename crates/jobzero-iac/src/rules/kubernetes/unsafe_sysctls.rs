use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{object, own};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A pod (a Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// Job, CronJob or PodTemplate) whose `securityContext.sysctls` sets a kernel parameter
    /// outside the safe set the Pod Security Standards baseline allows:
    /// `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`,
    /// `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.tcp_syncookies`,
    /// `net.ipv4.ping_group_range`, `net.ipv4.ip_local_reserved_ports`,
    /// `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
    /// `net.ipv4.tcp_keepalive_intvl` and `net.ipv4.tcp_keepalive_probes`. Slash-separated
    /// names (`net/ipv4/tcp_syncookies`) are read as dotted ones.
    ///
    /// ## Why it matters
    /// Only the safe sysctls are isolated per pod. The others (`kernel.msg*`, `kernel.sem`,
    /// `net.core.*`, `vm.*`) are shared with, or leak into, every pod of the node: a pod that
    /// sets them can starve its neighbours of memory or connections, weaken the node's
    /// network hardening, or crash it. The kubelet refuses them unless explicitly allowed, so
    /// asking for them usually means the node's defaults have been widened.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///       - name: kernel.msgmax
    ///         value: "65536"
    /// ```
    ///
    /// ## Remediation
    /// Remove the sysctl, or set it on the node (a tuned node pool) rather than from a pod.
    ///
    /// ## References
    /// - CWE-250
    /// - [Kubernetes: using sysctls in a Kubernetes cluster](https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/)
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    pub static RULE = {
        id: "iac/unsafe-sysctls",
        code: "IAC139",
        title: "pod sets an unsafe kernel parameter",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

/// The sysctls namespaced per pod that the baseline allows.
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        let Some(sysctls) = own(spec, "sysctls") else {
            continue;
        };
        for s in sysctls.items() {
            let Some(node) = s.get_direct("name") else {
                continue;
            };
            let Some(name) = node.as_str() else {
                continue;
            };
            let dotted = name.trim().replace('/', ".");
            if dotted.is_empty() || SAFE.contains(&dotted.as_str()) {
                continue;
            }
            out.push(cx.at(&RULE, r, node).message(format!(
                "{} sets the unsafe sysctl `{}`, which is not isolated from the node's other pods",
                object(r),
                dotted
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{containers_of, group, is_windows, seccomp};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) whose seccomp profile is explicitly `Unconfined`: its own
    /// `securityContext.seccompProfile.type`, else the pod's, else the legacy annotations
    /// `container.seccomp.security.alpha.kubernetes.io/<container>` and
    /// `seccomp.security.alpha.kubernetes.io/pod` set to `unconfined`. A pod-level setting is
    /// reported once, naming the containers that inherit it.
    ///
    /// ## Why it matters
    /// Seccomp filters the system calls a container may make; the runtime's default profile
    /// blocks the rarely needed, often exploited ones (`unshare`, `keyctl`, `bpf`, `ptrace`
    /// of other processes, kernel module calls). Unconfined exposes the whole kernel
    /// interface, and kernel bugs behind those calls are a classic container escape.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: Unconfined
    /// ```
    ///
    /// ## Remediation
    /// Use the runtime's default profile, or a `Localhost` profile written for the workload.
    ///
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: RuntimeDefault
    /// ```
    ///
    /// ## References
    /// - CWE-693
    /// - [Kubernetes: restrict a container's syscalls with seccomp](https://kubernetes.io/docs/tutorials/security/seccomp/)
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - Checkov CKV_K8S_31
    pub static RULE = {
        id: "iac/seccomp-unconfined",
        code: "IAC135",
        title: "container runs without a seccomp filter",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if is_windows(spec) {
            continue;
        }
        let mut hits: Vec<(&Node, &Node)> = Vec::new();
        for c in kube::containers(spec) {
            if let Some(profile) = seccomp(r, spec, c)
                && profile
                    .as_str()
                    .is_some_and(|p| p.trim().eq_ignore_ascii_case("unconfined"))
            {
                hits.push((profile, c));
            }
        }
        for (node, names) in group(hits) {
            out.push(cx.at(&RULE, r, node).message(format!(
                "{} run{} with seccomp profile `{node}`, without a system call filter",
                containers_of(r, &names),
                if names.len() == 1 { "s" } else { "" }
            )));
        }
    }
}

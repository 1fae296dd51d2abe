use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{container_of, is_windows, seccomp};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) for which no seccomp profile is set anywhere: neither its own
    /// nor the pod's `securityContext.seccompProfile`, nor the legacy seccomp annotations.
    /// Such a container runs `Unconfined` unless the kubelet defaults to `RuntimeDefault`
    /// (`--seccomp-default`, off by default). An explicit `Unconfined` is left to
    /// `iac/seccomp-unconfined`. Pods for Windows nodes are skipped.
    ///
    /// ## Why it matters
    /// Without a profile the container can make every system call the kernel offers,
    /// including the rarely needed ones most kernel exploits and container escapes rely on.
    /// The runtime's default profile blocks them at no cost for almost every application.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.4.2
    /// ```
    ///
    /// ## Remediation
    /// Set the runtime's default profile on the pod, so that every container inherits it.
    ///
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    /// ```
    ///
    /// ## References
    /// - CWE-693
    /// - [Kubernetes: restrict a container's syscalls with seccomp](https://kubernetes.io/docs/tutorials/security/seccomp/)
    /// - [Kubernetes: Pod Security Standards (restricted)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - Checkov CKV_K8S_31
    pub static RULE = {
        id: "iac/seccomp-profile-missing",
        code: "IAC136",
        title: "container has no seccomp profile",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::Medium,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if is_windows(spec) {
            continue;
        }
        for c in kube::containers(spec) {
            if seccomp(r, spec, c).is_some() {
                continue;
            }
            out.push(cx.at(&RULE, r, c).message(format!(
                "{} has no seccomp profile: neither it nor its pod sets `securityContext.seccompProfile.type: RuntimeDefault`",
                container_of(r, c)
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A pod (a Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// Job, CronJob or PodTemplate) with `spec.hostIPC: true`: its containers run in the
    /// node's IPC namespace instead of their own.
    ///
    /// ## Why it matters
    /// A pod with `hostIPC: true` shares System V shared memory, semaphores and message queues
    /// with every process of the node: it can read or corrupt the shared memory of other
    /// workloads and of node daemons.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostIPC: true
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.4.2
    /// ```
    ///
    /// ## Remediation
    /// Remove `hostIPC`; pods that must share memory should share it between their own
    /// containers (an `emptyDir` with `medium: Memory`).
    ///
    /// ## References
    /// - CWE-653
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - Checkov CKV_K8S_18
    pub static RULE = {
        id: "iac/host-ipc",
        code: "IAC115",
        title: "pod shares the node's IPC namespace",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if let Some(n) = spec.get_direct("hostIPC")
            && n.as_bool() == Some(true)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "{} `{}` sets `hostIPC: true`, so its containers share memory segments and message queues with every process of the node",
                r.rtype, r.name
            )));
        }
    }
}

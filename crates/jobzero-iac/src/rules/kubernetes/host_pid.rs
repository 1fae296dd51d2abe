use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A pod (a Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// Job, CronJob or PodTemplate) with `spec.hostPID: true`: its containers run in the
    /// node's process ID namespace instead of their own.
    ///
    /// ## Why it matters
    /// A pod with `hostPID: true` sees every process of the node: it can read their environment
    /// and command lines (where secrets often sit), and with `SYS_PTRACE` or root it can inject
    /// code into them or kill them, an easy container escape.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostPID: true
    ///   containers:
    ///     - name: monitor
    ///       image: example/monitor:2.0.1
    /// ```
    ///
    /// ## Remediation
    /// Remove `hostPID`; debug node processes with an ephemeral debug container or node access
    /// under an audited procedure instead.
    ///
    /// ## References
    /// - CWE-653
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - Checkov CKV_K8S_17
    pub static RULE = {
        id: "iac/host-pid",
        code: "IAC114",
        title: "pod shares the node's process namespace",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if let Some(n) = spec.get_direct("hostPID")
            && n.as_bool() == Some(true)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "{} `{}` sets `hostPID: true`, so its containers see, and can signal or trace, every process of the node",
                r.rtype, r.name
            )));
        }
    }
}

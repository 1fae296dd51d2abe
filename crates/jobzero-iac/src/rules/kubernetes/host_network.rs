use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A pod (a Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// Job, CronJob or PodTemplate) with `spec.hostNetwork: true`: its containers run in the
    /// node's network namespace instead of their own.
    ///
    /// ## Why it matters
    /// A pod with `hostNetwork: true` uses the node's network stack: it can bind any port of
    /// the node, sniff the node's traffic when it also has `NET_RAW`, reach services bound to
    /// the node's loopback (the kubelet's read-only port, local admin interfaces), and bypasses
    /// every NetworkPolicy that would isolate it.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///     - name: app
    ///       image: example/app:1.4.2
    /// ```
    ///
    /// ## Remediation
    /// Remove `hostNetwork`, and expose the workload through a Service; keep host networking
    /// for the few node agents (CNI plugins, kube-proxy) that cannot work without it.
    ///
    /// ## References
    /// - CWE-653
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - Checkov CKV_K8S_19
    pub static RULE = {
        id: "iac/host-network",
        code: "IAC113",
        title: "pod shares the node's network namespace",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if let Some(n) = spec.get_direct("hostNetwork")
            && n.as_bool() == Some(true)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "{} `{}` sets `hostNetwork: true`, so its containers use the node's network stack and escape every NetworkPolicy",
                r.rtype, r.name
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) with `securityContext.privileged: true`.
    ///
    /// ## Why it matters
    /// A privileged container has every capability and every device of the node: escaping to
    /// the host is a matter of mounting its disk. One compromised process becomes the node,
    /// and from the node, the cluster's secrets.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     securityContext:
    ///       privileged: true
    /// ```
    ///
    /// ## Remediation
    /// Remove `privileged`, and grant the one capability the workload needs with
    /// `securityContext.capabilities.add`.
    ///
    /// ## References
    /// - CWE-250
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - Checkov CKV_K8S_16
    pub static RULE = {
        id: "iac/privileged-container",
        code: "IAC110",
        title: "container runs privileged",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        for c in kube::containers(spec) {
            if let Some(p) = c.at("securityContext.privileged")
                && p.as_bool() == Some(true)
            {
                out.push(cx.at(&RULE, r, p).message(format!(
                    "container `{}` of {} `{}` runs privileged",
                    kube::name(c),
                    r.rtype,
                    r.name
                )));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::container_of;
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) with a `ports[].hostPort`: the port is opened on the node's own
    /// addresses and forwarded to the container.
    ///
    /// ## Why it matters
    /// A host port exposes the container on every address of the node, outside of the
    /// Service and Ingress layer where access is reviewed, and past NetworkPolicies that only
    /// see pod traffic on some network plugins. Anyone who can reach the node (often a wide
    /// VPC, sometimes the internet) reaches the container. It also pins scheduling: two pods
    /// with the same host port cannot share a node.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - containerPort: 8080
    ///     hostPort: 8080
    /// ```
    ///
    /// ## Remediation
    /// Remove `hostPort` and expose the container through a Service (ClusterIP behind an
    /// Ingress, or a LoadBalancer with source ranges).
    ///
    /// ## References
    /// - CWE-668
    /// - [Kubernetes: configuration best practices, services](https://kubernetes.io/docs/concepts/configuration/overview/#services)
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - Checkov CKV_K8S_26
    pub static RULE = {
        id: "iac/host-port-bound",
        code: "IAC132",
        title: "container binds a port of the node",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        for c in kube::containers(spec) {
            for p in c.all("ports") {
                let Some(host) = p.get_direct("hostPort") else {
                    continue;
                };
                // 0 means no host port; a value not known is given the benefit of the doubt.
                if !host.as_num().is_some_and(|n| n > 0.0) {
                    continue;
                }
                out.push(cx.at(&RULE, r, host).message(format!(
                    "{} binds port `{host}` of the node (`hostPort`)",
                    container_of(r, c)
                )));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{containers_of, group, inherited, is_windows, pod_metadata};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) whose AppArmor profile is explicitly `Unconfined`: its own or
    /// its pod's `securityContext.appArmorProfile.type: Unconfined`, or the pod annotation
    /// `container.apparmor.security.beta.kubernetes.io/<container>: unconfined`. A pod-level
    /// setting is reported once, naming the containers that inherit it.
    ///
    /// ## Why it matters
    /// On nodes with AppArmor the runtime's default profile denies a container writes to
    /// `/proc` and `/sys` files, mounts and other operations that container escapes use.
    /// Unconfined removes that layer: a process that gets root in the container meets one
    /// fewer barrier on its way to the node.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     container.apparmor.security.beta.kubernetes.io/app: unconfined
    /// ```
    ///
    /// ## Remediation
    /// Remove the override so the runtime's default profile applies, or set
    /// `appArmorProfile.type: RuntimeDefault` (or a `Localhost` profile written for the
    /// workload).
    ///
    /// ```yaml
    /// securityContext:
    ///   appArmorProfile:
    ///     type: RuntimeDefault
    /// ```
    ///
    /// ## References
    /// - CWE-693
    /// - [Kubernetes: restrict a container's access to resources with AppArmor](https://kubernetes.io/docs/tutorials/security/apparmor/)
    /// - [Kubernetes: Pod Security Standards (baseline)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    pub static RULE = {
        id: "iac/apparmor-unconfined",
        code: "IAC137",
        title: "container runs without an AppArmor profile",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

/// The prefix of the legacy per-container AppArmor annotation.
const ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

fn unconfined(n: &Node) -> bool {
    n.as_str()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("unconfined"))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if is_windows(spec) {
            continue;
        }
        let mut hits: Vec<(&Node, &Node)> = Vec::new();
        for c in kube::containers(spec) {
            if let Some(t) = inherited(spec, c, "appArmorProfile").and_then(|p| p.get_direct("type"))
                && unconfined(t)
            {
                hits.push((t, c));
            }
        }
        for (node, names) in group(hits) {
            out.push(cx.at(&RULE, r, node).message(format!(
                "{} run{} with AppArmor profile `Unconfined`",
                containers_of(r, &names),
                if names.len() == 1 { "s" } else { "" }
            )));
        }
        let annotations = pod_metadata(r)
            .and_then(|m| m.get_direct("annotations"))
            .map(Node::entries)
            .unwrap_or_default();
        for (key, value) in annotations {
            let Some(container) = key.strip_prefix(ANNOTATION) else {
                continue;
            };
            if unconfined(value) {
                out.push(cx.at(&RULE, r, value).message(format!(
                    "{} runs with AppArmor profile `unconfined` (annotation `{key}`)",
                    containers_of(r, &[container])
                )));
            }
        }
    }
}

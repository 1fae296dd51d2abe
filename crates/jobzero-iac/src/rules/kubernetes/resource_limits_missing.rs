use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::container_of;
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A container or init container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, Job, CronJob or PodTemplate) without `resources.limits.memory` or
    /// `resources.limits.cpu`. One finding per container names what is missing. A limit a
    /// `LimitRange` of the same namespace, in the same file, sets by default counts as set.
    ///
    /// ## Why it matters
    /// Without a memory limit one leaking or attacked container can take the node's memory
    /// until the kernel kills its neighbours; without a CPU limit a busy loop (a crypto miner,
    /// a regular-expression denial of service) starves every other pod of the node. Limits
    /// turn one compromised or buggy workload into one failed workload.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     resources:
    ///       requests:
    ///         memory: 128Mi
    /// ```
    ///
    /// ## Remediation
    /// Set `resources.limits.memory` (and `resources.limits.cpu`, or a namespace `LimitRange`
    /// with defaults) on every container, sized from observed usage.
    ///
    /// ```yaml
    /// resources:
    ///   requests:
    ///     cpu: 100m
    ///     memory: 128Mi
    ///   limits:
    ///     cpu: 500m
    ///     memory: 256Mi
    /// ```
    ///
    /// ## References
    /// - CWE-770
    /// - [Kubernetes: resource management for pods and containers](https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/)
    /// - [Kubernetes: limit ranges](https://kubernetes.io/docs/concepts/policy/limit-range/)
    /// - Checkov CKV_K8S_11, CKV_K8S_13
    pub static RULE = {
        id: "iac/resource-limits-missing",
        code: "IAC121",
        title: "container has no CPU or memory limit",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

/// The limits that `LimitRange`s of namespace `ns` in this file set by default for containers.
fn defaults<'a>(cx: &Cx<'a>, ns: Option<&str>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for lr in cx.of(&["LimitRange"]) {
        if lr.str_at("metadata.namespace") != ns {
            continue;
        }
        let Some(spec) = lr.at("spec") else {
            continue;
        };
        for l in spec.all("limits") {
            let kind = l
                .get_direct("type")
                .and_then(Node::as_str)
                .unwrap_or("Container");
            if kind != "Container" {
                continue;
            }
            if let Some(d) = l.get_direct("default") {
                out.extend(d.entries().iter().map(|(k, _)| k.as_str()));
            }
        }
    }
    out
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        let defaulted = defaults(cx, r.str_at("metadata.namespace"));
        // Ephemeral containers cannot have resources.
        let containers = spec
            .all("initContainers")
            .into_iter()
            .chain(spec.all("containers"));
        for c in containers {
            let resources = c.get_direct("resources").filter(|n| !n.is_null());
            let limits = resources
                .and_then(|n| n.get_direct("limits"))
                .filter(|n| !n.is_null());
            if resources.is_some_and(|n| !n.is_known()) || limits.is_some_and(|n| !n.is_known())
            {
                continue;
            }
            let missing: Vec<&str> = ["memory", "cpu"]
                .into_iter()
                .filter(|k| !defaulted.contains(k))
                .filter(|k| {
                    limits
                        .and_then(|l| l.get_direct(k))
                        .is_none_or(Node::is_null)
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let wanted: Vec<String> = missing
                .iter()
                .map(|k| format!("`resources.limits.{k}`"))
                .collect();
            let at = limits.or(resources).unwrap_or(c);
            out.push(cx.at(&RULE, r, at).message(format!(
                "{} sets no {}",
                container_of(r, c),
                wanted.join(" and no ")
            )));
        }
    }
}

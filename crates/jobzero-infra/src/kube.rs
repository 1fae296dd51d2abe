//! Kubernetes helpers: where the pod spec of each workload kind lives, and its containers.

use crate::model::{Platform, Resource};
use crate::node::Node;

/// The kinds that run pods.
pub const WORKLOADS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "PodTemplate",
];

/// The pod spec of a workload: `spec` of a Pod, `spec.template.spec` of controllers,
/// `spec.jobTemplate.spec.template.spec` of a CronJob, `template.spec` of a PodTemplate.
pub fn pod_spec(r: &Resource) -> Option<&Node> {
    if r.platform != Platform::Kubernetes {
        return None;
    }
    match r.rtype.as_str() {
        "Pod" => r.at("spec"),
        "CronJob" => r.at("spec.jobTemplate.spec.template.spec"),
        "PodTemplate" => r.at("template.spec"),
        k if WORKLOADS.contains(&k) => r.at("spec.template.spec"),
        _ => None,
    }
}

/// Every container of a pod spec: `initContainers`, `containers` and `ephemeralContainers`.
pub fn containers(spec: &Node) -> Vec<&Node> {
    ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .flat_map(|k| spec.all(k))
        .collect()
}

/// Every workload of the file with its pod spec.
pub fn workloads<'a>(resources: &[&'a Resource]) -> Vec<(&'a Resource, &'a Node)> {
    resources
        .iter()
        .filter_map(|r| pod_spec(r).map(|s| (*r, s)))
        .collect()
}

/// A container's name, for messages.
pub fn name(container: &Node) -> &str {
    container
        .get_direct("name")
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)")
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{container_of, containers_of, group, inherited, is_windows, own};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) that may run as root: its effective `securityContext` (the
    /// container's own, else the pod's) sets `runAsUser: 0`, or sets neither a non-zero
    /// `runAsUser` nor `runAsNonRoot: true`, so the image's user decides, and most images run
    /// as root. An explicit `runAsUser: 0` is reported with high severity. Pods for Windows
    /// nodes are skipped.
    ///
    /// ## Why it matters
    /// Root in a container is root on the node's kernel: a container escape (a kernel bug, a
    /// mounted socket, a writable host path) starts with every privilege instead of none, and
    /// files written to shared volumes belong to root.
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
    /// Set `runAsNonRoot: true` (and a non-zero `runAsUser` when the image has no numeric
    /// user) in the pod's `securityContext`, and build images that run as an unprivileged
    /// user.
    ///
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    /// ```
    ///
    /// ## References
    /// - CWE-250
    /// - [Kubernetes: Pod Security Standards (restricted)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - [Kubernetes: configure a security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - Checkov CKV_K8S_23
    pub static RULE = {
        id: "iac/container-may-run-as-root",
        code: "IAC112",
        title: "container may run as root",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if is_windows(spec) {
            continue;
        }
        // Explicit root and explicit `runAsNonRoot: false`, grouped by the node that sets
        // them (a pod-level setting is reported once for every container inheriting it).
        let mut root: Vec<(&Node, &Node)> = Vec::new();
        let mut not_enforced: Vec<(&Node, &Node)> = Vec::new();
        for c in kube::containers(spec) {
            if let Some(user) = inherited(spec, c, "runAsUser") {
                match user.as_num() {
                    Some(uid) if uid < 0.5 => root.push((user, c)),
                    // A non-zero user, or a value not known: nothing provable.
                    _ => {}
                }
                continue;
            }
            match inherited(spec, c, "runAsNonRoot") {
                Some(n) if n.as_bool() == Some(false) => not_enforced.push((n, c)),
                Some(_) => {}
                None => out.push(cx.at(&RULE, r, c).message(format!(
                    "{} sets neither `securityContext.runAsNonRoot: true` nor a non-zero `runAsUser`, and neither does its pod, so it runs as root when its image does",
                    container_of(r, c)
                ))),
            }
        }
        for (node, names) in group(root) {
            let from_pod = own(spec, "runAsUser").is_some_and(|p| std::ptr::eq(p, node));
            out.push(
                cx.at(&RULE, r, node)
                    .severity(Severity::High)
                    .message(format!(
                        "{} run{} as root: `runAsUser: 0` is set on the {}",
                        containers_of(r, &names),
                        if names.len() == 1 { "s" } else { "" },
                        if from_pod { "pod" } else { "container" }
                    )),
            );
        }
        for (node, names) in group(not_enforced) {
            let from_pod = own(spec, "runAsNonRoot").is_some_and(|p| std::ptr::eq(p, node));
            let setter = if from_pod {
                format!("the pod of {} `{}`", r.rtype, r.name)
            } else {
                "the container".to_owned()
            };
            out.push(cx.at(&RULE, r, node).message(format!(
                "{} may run as root: {setter} sets `runAsNonRoot: false` and no non-zero `runAsUser`",
                containers_of(r, &names)
            )));
        }
    }
}

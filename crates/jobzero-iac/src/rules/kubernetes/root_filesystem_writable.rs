use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{container_of, is_windows, own};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) without `securityContext.readOnlyRootFilesystem: true`: the
    /// setting is absent or `false`. Pods for Windows nodes are skipped.
    ///
    /// ## Why it matters
    /// A writable root file system lets an attacker who gets code execution drop tools,
    /// replace the application's binaries or libraries, or persist a backdoor for the life of
    /// the container. A read-only image also makes drift visible: everything the process
    /// writes goes to a declared volume.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     securityContext:
    ///       readOnlyRootFilesystem: false
    /// ```
    ///
    /// ## Remediation
    /// Set `readOnlyRootFilesystem: true` and mount an `emptyDir` where the process must write
    /// (`/tmp`, a cache directory).
    ///
    /// ```yaml
    /// securityContext:
    ///   readOnlyRootFilesystem: true
    /// volumeMounts:
    ///   - name: tmp
    ///     mountPath: /tmp
    /// ```
    ///
    /// ## References
    /// - CWE-732
    /// - [Kubernetes: configure a security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - Checkov CKV_K8S_22
    pub static RULE = {
        id: "iac/root-filesystem-writable",
        code: "IAC120",
        title: "container root file system is writable",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        if is_windows(spec) {
            continue;
        }
        for c in kube::containers(spec) {
            match own(c, "readOnlyRootFilesystem") {
                Some(n) if n.as_bool() == Some(false) => {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "{} sets `readOnlyRootFilesystem: false`",
                        container_of(r, c)
                    )));
                }
                // `true`, or not known.
                Some(_) => {}
                None => out.push(cx.at(&RULE, r, c).message(format!(
                    "{} does not set `securityContext.readOnlyRootFilesystem: true`",
                    container_of(r, c)
                ))),
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{grants, items_of, object};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A rule of a `Role` or `ClusterRole` that grants `create` or `get` (or `*`) on
    /// `pods/exec`, `pods/attach` or `nodes/proxy`: the subresources that run commands in
    /// running containers. `get` counts because the WebSocket form of `exec` and the
    /// kubelet's API behind `nodes/proxy` accept it.
    ///
    /// ## Why it matters
    /// Running a command in a container gives its identity, its mounted Secrets and service
    /// account token, and its network position; through `nodes/proxy` it reaches every pod of
    /// the node via the kubelet, outside of the API server's audit of `exec`. Whoever holds
    /// the role can move into any workload in its scope, including more privileged ones.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods/exec"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// ## Remediation
    /// Remove exec and attach from roles held by workloads and automation; grant them to
    /// people only, in the namespaces they operate, through short-lived or audited access.
    ///
    /// ## References
    /// - CWE-269
    /// - [Kubernetes: role based access control good practices, exec into pods](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks)
    /// - Checkov CKV2_K8S_2
    pub static RULE = {
        id: "iac/rbac-pod-exec",
        code: "IAC130",
        title: "role can run commands in pods",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Subresources that run commands in containers.
const EXEC: &[&str] = &["pods/exec", "pods/attach", "nodes/proxy"];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["Role", "ClusterRole"]) {
        for rule in r.body.all("rules") {
            let verbs = items_of(rule, "verbs");
            let granted: Vec<&str> = ["create", "get"]
                .into_iter()
                .filter(|v| grants(&verbs, v))
                .collect();
            if granted.is_empty() {
                continue;
            }
            for (res, at) in items_of(rule, "resources") {
                let Some(sub) = EXEC.iter().find(|e| e.eq_ignore_ascii_case(res)) else {
                    continue;
                };
                let listed: Vec<String> = granted.iter().map(|v| format!("`{v}`")).collect();
                out.push(cx.at(&RULE, r, at).message(format!(
                    "{} grants {} on `{sub}`, which runs commands in containers",
                    object(r),
                    listed.join(", ")
                )));
            }
        }
    }
}

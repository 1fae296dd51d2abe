use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{added_capabilities, container_of, is_windows, own};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;

declare_rule! {
    /// ## What it finds
    /// A container of a pod (in a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
    /// CronJob or PodTemplate) that does not set `securityContext.allowPrivilegeEscalation:
    /// false`: the setting is absent (Kubernetes then allows escalation), set to `true`, or
    /// made moot by `privileged: true` or an added `SYS_ADMIN` capability, which always allow
    /// it. Pods for Windows nodes are skipped.
    ///
    /// ## Why it matters
    /// Unless escalation is off (`no_new_privs`), a process in the container can gain more
    /// privileges than its parent through setuid binaries or file capabilities: an attacker
    /// who gets code execution as an unprivileged user becomes root inside the container, one
    /// step closer to the node.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     image: example/app:1.4.2
    ///     securityContext:
    ///       runAsNonRoot: true
    /// ```
    ///
    /// ## Remediation
    /// Set `securityContext.allowPrivilegeEscalation: false` on every container, and drop
    /// `privileged` and `SYS_ADMIN`.
    ///
    /// ```yaml
    /// securityContext:
    ///   allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## References
    /// - CWE-269
    /// - [Kubernetes: Pod Security Standards (restricted)](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
    /// - [Kubernetes: configure a security context](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
    /// - Checkov CKV_K8S_20
    pub static RULE = {
        id: "iac/privilege-escalation-allowed",
        code: "IAC111",
        title: "container allows privilege escalation",
        family: Family::Iac,
        severity: Severity::Medium,
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
            let who = container_of(r, c);
            if let Some(n) = own(c, "allowPrivilegeEscalation") {
                // `false` is what we want; anything not known is given the benefit of the doubt.
                if n.as_bool() == Some(true) {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "{who} sets `allowPrivilegeEscalation: true`, so its processes can gain privileges through setuid binaries"
                    )));
                }
                continue;
            }
            if let Some(p) = own(c, "privileged")
                && p.as_bool() == Some(true)
            {
                out.push(cx.at(&RULE, r, p).message(format!(
                    "{who} runs with `privileged: true`, which always allows privilege escalation"
                )));
                continue;
            }
            if let Some((_, cap)) = added_capabilities(c)
                .into_iter()
                .find(|(name, _)| name == "SYS_ADMIN" || name == "ALL")
            {
                out.push(cx.at(&RULE, r, cap).message(format!(
                    "{who} adds capability `{}`, which always allows privilege escalation",
                    cap.as_str().unwrap_or("SYS_ADMIN")
                )));
                continue;
            }
            out.push(cx.at(&RULE, r, c).message(format!(
                "{who} does not set `securityContext.allowPrivilegeEscalation: false`"
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{items_of, object};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A rule of a `Role` or `ClusterRole` that grants one of the verbs that bypass RBAC's own
    /// guard rails: `escalate` (edit a role to hold permissions one does not have), `bind`
    /// (bind a role one does not hold) or `impersonate` (act as another user, group or
    /// service account). `*` verbs are left to `iac/rbac-wildcard-permissions`.
    ///
    /// ## Why it matters
    /// Kubernetes prevents privilege escalation through RBAC by refusing to create or bind a
    /// role with more permissions than the requester holds; these three verbs switch that
    /// check off. Their holder can grant itself, or become, `cluster-admin`.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["users", "groups", "serviceaccounts"]
    ///     verbs: ["impersonate"]
    /// ```
    ///
    /// ## Remediation
    /// Remove the verb. Automation that must create bindings should hold every permission it
    /// grants (no `bind` needed) or get `bind` restricted by `resourceNames` to the roles it
    /// hands out.
    ///
    /// ## References
    /// - CWE-269
    /// - [Kubernetes: privilege escalation prevention and bootstrapping](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping)
    /// - [Kubernetes: role based access control good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb)
    /// - Checkov CKV_K8S_157, CKV_K8S_158, CKV2_K8S_3
    pub static RULE = {
        id: "iac/rbac-escalate-bind-impersonate",
        code: "IAC131",
        title: "role can escalate, bind or impersonate",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Verbs that bypass RBAC's escalation checks.
const VERBS: &[&str] = &["escalate", "bind", "impersonate"];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["Role", "ClusterRole"]) {
        for rule in r.body.all("rules") {
            let resources: Vec<String> = items_of(rule, "resources")
                .into_iter()
                .take(4)
                .map(|(s, _)| format!("`{s}`"))
                .collect();
            let on = if resources.is_empty() {
                String::new()
            } else {
                format!(" on {}", resources.join(", "))
            };
            for (verb, at) in items_of(rule, "verbs") {
                let Some(v) = VERBS.iter().find(|v| v.eq_ignore_ascii_case(verb)) else {
                    continue;
                };
                let named = !items_of(rule, "resourceNames").is_empty();
                let builder = cx.at(&RULE, r, at).message(format!(
                    "{} grants `{v}`{on}{}",
                    object(r),
                    if named {
                        ", limited by `resourceNames`"
                    } else {
                        ", which lets its holder gain permissions it does not have"
                    }
                ));
                if named {
                    out.push(builder.severity(Severity::Medium));
                } else {
                    out.push(builder);
                }
            }
        }
    }
}

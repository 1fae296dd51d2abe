use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{core_group, grants, items_of, object};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A rule of a `Role` or `ClusterRole` that grants `get`, `list` or `watch` (or `*`) on
    /// `secrets` of the core API group. A rule limited by `resourceNames` to named Secrets
    /// with only `get` is not reported. Wildcard resources are left to
    /// `iac/rbac-wildcard-permissions`.
    ///
    /// ## Why it matters
    /// Secrets hold database passwords, cloud keys, TLS private keys and the tokens of other
    /// service accounts. `list` and `watch` return every Secret with its data, not only their
    /// names: whoever holds the role reads every credential of the namespace, or of the
    /// cluster for a ClusterRole bound cluster-wide, and can often escalate with a more
    /// powerful service account's token.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## Remediation
    /// Grant `get` on the Secrets the workload needs, by `resourceNames`, in its own namespace;
    /// better, mount them into the pod and grant no Secret access at all.
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["app-db"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - CWE-522
    /// - [Kubernetes: role based access control good practices, listing secrets](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets)
    /// - Checkov CKV2_K8S_5
    pub static RULE = {
        id: "iac/rbac-secrets-read",
        code: "IAC129",
        title: "role can read Secrets",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["Role", "ClusterRole"]) {
        for rule in r.body.all("rules") {
            if !core_group(rule) {
                continue;
            }
            let Some((_, at)) = items_of(rule, "resources")
                .into_iter()
                .find(|(s, _)| s.eq_ignore_ascii_case("secrets"))
            else {
                continue;
            };
            let verbs = items_of(rule, "verbs");
            let granted: Vec<&str> = ["get", "list", "watch"]
                .into_iter()
                .filter(|v| grants(&verbs, v))
                .collect();
            if granted.is_empty() {
                continue;
            }
            let named = !items_of(rule, "resourceNames").is_empty();
            if named && granted == ["get"] {
                continue;
            }
            let listed: Vec<String> = granted.iter().map(|v| format!("`{v}`")).collect();
            out.push(cx.at(&RULE, r, at).message(format!(
                "{} grants {} on `secrets`{}",
                object(r),
                listed.join(", "),
                if r.rtype == "ClusterRole" {
                    ", in every namespace where it is bound cluster-wide"
                } else {
                    ""
                }
            )));
        }
    }
}

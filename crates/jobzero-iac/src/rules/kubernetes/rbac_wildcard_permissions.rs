use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{items_of, object};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A rule of a `Role` or `ClusterRole` with the wildcard `*` in `verbs`, `resources` or
    /// `apiGroups`. A wildcard in `verbs` or `resources` is high severity; in `apiGroups`
    /// alone (named resources in every group) medium.
    ///
    /// ## Why it matters
    /// A wildcard grants everything that exists now and everything added later: `verbs: ["*"]`
    /// includes `escalate`, `bind`, `impersonate` and `delete`; `resources: ["*"]` includes
    /// Secrets, the RBAC objects themselves and every custom resource an operator installs. A
    /// role meant to manage deployments quietly becomes a path to cluster admin.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: deployer
    /// rules:
    ///   - apiGroups: ["*"]
    ///     resources: ["*"]
    ///     verbs: ["*"]
    /// ```
    ///
    /// ## Remediation
    /// List the API groups, resources and verbs the subject needs, explicitly.
    ///
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch", "update", "patch"]
    /// ```
    ///
    /// ## References
    /// - CWE-269
    /// - [Kubernetes: role based access control good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - Checkov CKV_K8S_49
    pub static RULE = {
        id: "iac/rbac-wildcard-permissions",
        code: "IAC126",
        title: "role grants wildcard RBAC permissions",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["Role", "ClusterRole"]) {
        for rule in r.body.all("rules") {
            let mut keys: Vec<&str> = Vec::new();
            let mut first: Option<&Node> = None;
            for key in ["verbs", "resources", "apiGroups"] {
                if let Some((_, n)) = items_of(rule, key).into_iter().find(|(s, _)| *s == "*") {
                    keys.push(key);
                    if first.is_none() {
                        first = Some(n);
                    }
                }
            }
            let Some(at) = first else {
                continue;
            };
            let listed: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            let builder = cx.at(&RULE, r, at).message(format!(
                "{} grants `*` in {} of one of its rules",
                object(r),
                listed.join(" and ")
            ));
            if keys.contains(&"verbs") || keys.contains(&"resources") {
                out.push(builder);
            } else {
                out.push(builder.severity(Severity::Medium));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{object, subjects};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A `ClusterRoleBinding` or `RoleBinding` whose `roleRef` is the ClusterRole
    /// `cluster-admin`. A ClusterRoleBinding (admin of the whole cluster) is high severity; a
    /// RoleBinding (admin of one namespace, Secrets and RBAC included) medium. The built-in
    /// binding of the `system:masters` group is not reported.
    ///
    /// ## Why it matters
    /// `cluster-admin` can do anything to any object: read every Secret, run privileged pods
    /// on any node, rewrite RBAC. A service account bound to it turns any compromise of its
    /// pods (a vulnerable dependency, a leaked token) into a compromise of the cluster, and a
    /// user or group bound to it bypasses every other control.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: ci
    ///     namespace: build
    /// ```
    ///
    /// ## Remediation
    /// Bind a role that lists the permissions the subject needs, in the namespaces it works
    /// in; keep `cluster-admin` for break-glass human access.
    ///
    /// ## References
    /// - CWE-269
    /// - [Kubernetes: role based access control good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - [Kubernetes: user-facing roles](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles)
    pub static RULE = {
        id: "iac/cluster-admin-binding",
        code: "IAC127",
        title: "binding grants the cluster-admin role",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Whether a subject is the `system:masters` group, which holds `cluster-admin` by design.
fn is_masters(s: &Node) -> bool {
    s.get_direct("name").and_then(Node::as_str) == Some("system:masters")
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["ClusterRoleBinding", "RoleBinding"]) {
        let Some(name) = r.at("roleRef.name") else {
            continue;
        };
        if name.as_str() != Some("cluster-admin")
            || r.str_at("roleRef.kind").is_some_and(|k| k != "ClusterRole")
        {
            continue;
        }
        let granted: Vec<&Node> = r
            .body
            .all("subjects")
            .into_iter()
            .filter(|s| !is_masters(s))
            .collect();
        if granted.is_empty() {
            continue;
        }
        let builder = cx.at(&RULE, r, name);
        if r.rtype == "RoleBinding" {
            let scope = match r.str_at("metadata.namespace") {
                Some(ns) => format!("namespace `{ns}`"),
                None => "its namespace".to_owned(),
            };
            out.push(builder.severity(Severity::Medium).message(format!(
                "{} grants `cluster-admin` over {scope} to {}",
                object(r),
                subjects(&granted)
            )));
        } else {
            out.push(builder.message(format!(
                "{} grants `cluster-admin` over the whole cluster to {}",
                object(r),
                subjects(&granted)
            )));
        }
    }
}

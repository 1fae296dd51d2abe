use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::object;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A `ClusterRoleBinding` or `RoleBinding` with a subject that stands for everyone: the
    /// user `system:anonymous` or the group `system:unauthenticated` (critical: anyone who can
    /// reach the API server), or the group `system:authenticated` (high: every identity the
    /// cluster accepts, which on some managed clusters means any account of the cloud
    /// provider). Bindings to the discovery roles Kubernetes itself grants to everyone
    /// (`system:public-info-viewer`, `system:discovery`, `system:basic-user`) are not
    /// reported.
    ///
    /// ## Why it matters
    /// API servers are often reachable from the internet. A role bound to anonymous users is
    /// granted to every scanner that finds the endpoint, with no credential at all; a role
    /// bound to all authenticated users is granted to every workload and every person with any
    /// token. Clusters have been mined and emptied of secrets this way.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// roleRef:
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    ///   - kind: Group
    ///     name: system:unauthenticated
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    ///
    /// ## Remediation
    /// Bind the role to the users, groups or service accounts that need it, by name; never to
    /// the anonymous user or to the built-in groups of every identity.
    ///
    /// ## References
    /// - CWE-284
    /// - [Kubernetes: role based access control good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - [Kubernetes: anonymous requests](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests)
    pub static RULE = {
        id: "iac/rbac-binding-to-anonymous",
        code: "IAC128",
        title: "binding grants a role to anonymous or to every authenticated user",
        family: Family::Iac,
        severity: Severity::Critical,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Roles Kubernetes grants to everyone by default: discovery and public information.
const PUBLIC_ROLES: &[&str] = &[
    "system:public-info-viewer",
    "system:discovery",
    "system:basic-user",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["ClusterRoleBinding", "RoleBinding"]) {
        let role = r.str_at("roleRef.name").unwrap_or("(unnamed)");
        if PUBLIC_ROLES.contains(&role) {
            continue;
        }
        for s in r.body.all("subjects") {
            let Some(node) = s.get_direct("name") else {
                continue;
            };
            let who = match node.as_str() {
                Some("system:anonymous") => "the anonymous user `system:anonymous`",
                Some("system:unauthenticated") => "the group `system:unauthenticated`",
                Some("system:authenticated") => "the group `system:authenticated`",
                _ => continue,
            };
            let builder = cx.at(&RULE, r, node);
            if node.as_str() == Some("system:authenticated") {
                out.push(builder.severity(Severity::High).message(format!(
                    "{} grants role `{role}` to {who}: every identity the cluster accepts gets it",
                    object(r)
                )));
            } else {
                out.push(builder.message(format!(
                    "{} grants role `{role}` to {who}: anyone who can reach the API server gets it without credentials",
                    object(r)
                )));
            }
        }
    }
}


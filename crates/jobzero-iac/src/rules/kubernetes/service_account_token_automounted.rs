use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::object;
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A pod (a Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// Job, CronJob or PodTemplate) that gets a Kubernetes API token mounted: it sets
    /// `automountServiceAccountToken: true`, or does not set it and its ServiceAccount
    /// (`serviceAccountName`, else `default`) is not declared in the same file with
    /// `automountServiceAccountToken: false`.
    ///
    /// ## Why it matters
    /// Most applications never call the Kubernetes API, yet by default every container gets a
    /// token for it under `/var/run/secrets/kubernetes.io/serviceaccount`. An attacker who
    /// reads a file or runs a command in the container takes the token and, with whatever
    /// RBAC the service account has been granted over time, lists secrets, starts pods or
    /// moves to other namespaces.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: example/web:2.3.0
    /// ```
    ///
    /// ## Remediation
    /// Set `automountServiceAccountToken: false` on the pod spec (or on its ServiceAccount),
    /// and mount a token only into workloads that call the API, with a dedicated service
    /// account.
    ///
    /// ```yaml
    /// spec:
    ///   automountServiceAccountToken: false
    /// ```
    ///
    /// ## References
    /// - CWE-668
    /// - [Kubernetes: configure service accounts for pods](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting)
    /// - Checkov CKV_K8S_38
    pub static RULE = {
        id: "iac/service-account-token-automounted",
        code: "IAC125",
        title: "pod gets a Kubernetes API token it may not need",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::Medium,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

/// Whether two namespaces may be the same (an absent namespace is the one of the context).
fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let accounts = cx.of(&["ServiceAccount"]);
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        let account = spec
            .get_direct("serviceAccountName")
            .or_else(|| spec.get_direct("serviceAccount"))
            .and_then(Node::as_str)
            .unwrap_or("default");
        match spec
            .get_direct("automountServiceAccountToken")
            .filter(|n| !n.is_null())
        {
            Some(n) if n.as_bool() == Some(true) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "{} sets `automountServiceAccountToken: true`, so every container gets an API token of service account `{account}`",
                    object(r)
                )));
                continue;
            }
            // `false`, or not known.
            Some(_) => continue,
            None => {}
        }
        let ns = r.str_at("metadata.namespace");
        let opted_out = accounts.iter().any(|a| {
            a.name == account
                && same_namespace(a.str_at("metadata.namespace"), ns)
                && a.bool_at("automountServiceAccountToken") == Some(false)
        });
        if opted_out {
            continue;
        }
        out.push(cx.at(&RULE, r, spec).message(format!(
            "{} does not set `automountServiceAccountToken: false`, so its containers get an API token of service account `{account}`",
            object(r)
        )));
    }
}

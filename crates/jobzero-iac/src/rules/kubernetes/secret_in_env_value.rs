use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::container_of;
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::kube;
use crate::node::{Node, Val};
use jobzero_secrets::names::is_secret_name;

declare_rule! {
    /// ## What it finds
    /// An environment variable of a container (in a Pod, Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, Job, CronJob or PodTemplate) whose name says it holds a secret (`PASSWORD`,
    /// `PASSWD`, `SECRET`, `TOKEN`, `API_KEY`, `APIKEY`, `ACCESS_KEY`, `PRIVATE_KEY`,
    /// `CREDENTIAL`, in any case) and whose `value` is a literal, not a `valueFrom` reference.
    /// Names that describe a secret rather than hold one (`*_FILE`, `*_PATH`, `*_URL`,
    /// `*_NAME`, `*_ID`, `*_TTL`, ...), references to other variables (`$(VAR)`), templates
    /// and paths are skipped. The value is never shown.
    ///
    /// ## Why it matters
    /// A secret written in a manifest is in the repository's history, in every clone and fork,
    /// in CI logs and in the object stored by the API server, readable by anyone who can read
    /// the workload (a much wider group than who can read Secrets). It cannot be rotated
    /// without a commit, and it stays valid in the history after it is.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     value: hunter2-prod
    /// ```
    ///
    /// ## Remediation
    /// Revoke and rotate the credential, then read it from a Secret (created by a secrets
    /// manager or an operator such as External Secrets, not committed) with `valueFrom`.
    ///
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef:
    ///         name: db
    ///         key: password
    /// ```
    ///
    /// ## References
    /// - CWE-798
    /// - [Kubernetes: distribute credentials securely using Secrets](https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/)
    /// - [OWASP: secrets management cheat sheet](https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html)
    pub static RULE = {
        id: "iac/secret-in-env-value",
        code: "IAC124",
        title: "container environment variable holds a literal secret",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

/// Whether a literal value could be a credential: not empty, not a switch, not a reference
/// to another variable, a template, a path or a secret-manager reference.
fn credential_like(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    // Short numbers are counts, sizes and durations.
    let short_number = v.len() < 6 && v.chars().all(|c| c.is_ascii_digit() || c == '.');
    let switch = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "disabled" | "enabled"
    );
    let reference = v.starts_with("$(")
        || v.contains("${")
        || v.contains("{{")
        || v.starts_with('/')
        || ["vault:", "ref+", "arn:aws:secretsmanager:", "arn:aws:ssm:", "projects/"]
            .iter()
            .any(|p| lower.starts_with(p));
    v.chars().count() >= 3 && !short_number && !switch && !reference
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (r, spec) in kube::workloads(&cx.of(&[])) {
        for c in kube::containers(spec) {
            for var in c.all("env") {
                let Some(name) = var.get_direct("name").and_then(Node::as_str) else {
                    continue;
                };
                let Some(value) = var.get_direct("value") else {
                    continue;
                };
                // Kubernetes takes only strings here (an unquoted number is rejected).
                let literal = match &value.val {
                    Val::Str(s) => credential_like(s),
                    _ => false,
                };
                if !literal || !is_secret_name(name) {
                    continue;
                }
                out.push(cx.at(&RULE, r, value).message(format!(
                    "{} sets the secret-looking variable `{name}` to a literal value",
                    container_of(r, c)
                )));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::policy_bindings;
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A basic (primitive) role, `roles/owner` or `roles/editor` (and, with a lower severity,
    /// `roles/viewer`), granted at the project, folder or organization level: the `role` of
    /// `google_project_iam_member`/`_binding`, `google_folder_iam_member`/`_binding` and
    /// `google_organization_iam_member`/`_binding`, or a binding in the `policy_data` of
    /// `google_project_iam_policy`, `google_folder_iam_policy` and
    /// `google_organization_iam_policy`.
    ///
    /// ## Why it matters
    /// Basic roles predate IAM: Editor can change almost every resource (and read most data)
    /// of the project, Owner can also grant itself anything. Given to a user or a workload's
    /// service account, one stolen credential is the whole project.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_project_iam_member" "ci" {
    ///   project = "orders-prod"
    ///   role    = "roles/editor"
    ///   member  = "serviceAccount:ci@orders-prod.iam.gserviceaccount.com"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Grant the predefined or custom roles the principal needs (`roles/run.developer`,
    /// `roles/storage.objectAdmin`, ...), on the narrowest resource that works; the IAM
    /// recommender lists the permissions actually used.
    ///
    /// ## References
    /// - CWE-250
    /// - [Google Cloud IAM: basic roles](https://cloud.google.com/iam/docs/roles-overview#basic)
    /// - [Google Cloud IAM: use IAM securely](https://cloud.google.com/iam/docs/using-iam-securely)
    /// - Checkov CKV_GCP_117, CKV_GCP_116, CKV_GCP_115
    pub static RULE = {
        id: "iac/gcp-iam-basic-role",
        code: "IAC199",
        title: "basic owner or editor role granted on a Google Cloud project, folder or organization",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Grants with a `role` and `member`/`members`.
const GRANTS: &[&str] = &[
    "google_project_iam_member",
    "google_project_iam_binding",
    "google_folder_iam_member",
    "google_folder_iam_binding",
    "google_organization_iam_member",
    "google_organization_iam_binding",
];

/// Whole policies with `policy_data`.
const POLICIES: &[&str] = &[
    "google_project_iam_policy",
    "google_folder_iam_policy",
    "google_organization_iam_policy",
];

/// The severity of a basic role, when `role` is one.
fn basic(role: &str) -> Option<Severity> {
    match role.trim() {
        "roles/owner" | "roles/editor" => Some(Severity::Medium),
        "roles/viewer" => Some(Severity::Low),
        _ => None,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(GRANTS) {
        let Some(n) = r.at("role") else {
            continue;
        };
        let Some(role) = n.as_str() else {
            continue;
        };
        let Some(severity) = basic(role) else {
            continue;
        };
        let members: Vec<&str> = ["member", "members"]
            .into_iter()
            .filter_map(|k| r.at(k))
            .flat_map(Node::strings)
            .collect();
        let to = if members.is_empty() {
            String::new()
        } else {
            format!(" to `{}`", members.join("`, `"))
        };
        out.push(cx.at(&RULE, r, n).severity(severity).message(format!(
            "`{}` grants the basic role `{}`{to}",
            r.addr,
            role.trim()
        )));
    }
    for r in cx.of(POLICIES) {
        let Some(data) = r.at("policy_data") else {
            continue;
        };
        let mut found: Vec<(String, Severity)> = Vec::new();
        for b in policy_bindings(cx.graph, data) {
            if let Some(role) = b.get("role").and_then(Node::as_str)
                && let Some(severity) = basic(role)
                && !found.iter().any(|(f, _)| f == role.trim())
            {
                found.push((role.trim().to_owned(), severity));
            }
        }
        let Some(severity) = found.iter().map(|(_, s)| *s).max() else {
            continue;
        };
        let roles: Vec<&str> = found.iter().map(|(role, _)| role.as_str()).collect();
        out.push(cx.at(&RULE, r, data).severity(severity).message(format!(
            "`{}` grants the basic role{} `{}`",
            r.addr,
            if roles.len() > 1 { "s" } else { "" },
            roles.join("`, `")
        )));
    }
}

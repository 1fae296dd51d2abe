use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::util::{is_public_member, policy_bindings, who};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A Google Cloud resource opened to `allUsers` (anyone on the internet) or
    /// `allAuthenticatedUsers` (anyone with a Google account):
    /// - any `google_*_iam_member` or `google_*_iam_binding` (buckets, BigQuery datasets and
    ///   tables, KMS keys, Pub/Sub topics, secrets, projects, ...) whose `member`/`members`
    ///   names them, and any `google_*_iam_policy` whose `policy_data` (a
    ///   `data.google_iam_policy` or a JSON document) does;
    /// - Cloud Storage ACLs: `role_entity` entries such as `READER:allUsers` in
    ///   `google_storage_bucket_acl`, `google_storage_default_object_acl` and
    ///   `google_storage_object_acl`, `predefined_acl` `publicRead`, `publicReadWrite` or
    ///   `authenticatedRead` (also on `google_storage_bucket_object`), and the `entity` of
    ///   `google_storage_*_access_control`;
    /// - BigQuery dataset `access` blocks (and `google_bigquery_dataset_access`) with
    ///   `special_group` or `iam_member` set to one of them.
    ///
    /// Grants of `roles/run.invoker` and `roles/cloudfunctions.invoker`, the documented way to
    /// publish a public Cloud Run service or HTTP function, are not reported.
    ///
    /// ## Why it matters
    /// Anyone can then read (or, with a write role, replace or delete) the data, without
    /// credentials and without a trace that ties the access to a person. Public buckets and
    /// datasets are found by scanners that guess names.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_storage_bucket_iam_binding" "public" {
    ///   bucket  = google_storage_bucket.exports.name
    ///   role    = "roles/storage.objectViewer"
    ///   members = ["allUsers"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Grant the role to the groups or service accounts that need it; for deliberate public
    /// content, serve it through a load balancer or CDN, or hand out signed URLs, and enforce
    /// `public_access_prevention = "enforced"` on every other bucket.
    ///
    /// ## References
    /// - CWE-284
    /// - [Google Cloud: public access prevention](https://cloud.google.com/storage/docs/public-access-prevention)
    /// - [Google Cloud IAM: principal identifiers (allUsers, allAuthenticatedUsers)](https://cloud.google.com/iam/docs/principal-identifiers)
    /// - Checkov CKV_GCP_28, CKV_GCP_15, CKV_GCP_112
    pub static RULE = {
        id: "iac/gcp-public-access-grant",
        code: "IAC187",
        title: "cloud resource granted to allUsers or allAuthenticatedUsers",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

/// Roles that publish a service on purpose (anyone may call it).
const INVOKER_ROLES: &[&str] = &["roles/run.invoker", "roles/cloudfunctions.invoker"];

/// Storage ACL resources with `role_entity` or `predefined_acl`.
const ACLS: &[&str] = &[
    "google_storage_bucket_acl",
    "google_storage_default_object_acl",
    "google_storage_object_acl",
    "google_storage_bucket_object",
];

/// Storage access control resources with one `entity`.
const ACCESS_CONTROLS: &[&str] = &[
    "google_storage_bucket_access_control",
    "google_storage_object_access_control",
    "google_storage_default_object_access_control",
];

/// Public predefined ACLs, with who they open the object to.
fn public_predefined_acl(acl: &str) -> Option<&'static str> {
    match acl.trim() {
        "publicRead" | "publicReadWrite" => Some("allUsers"),
        "authenticatedRead" => Some("allAuthenticatedUsers"),
        _ => None,
    }
}

fn is_iam_grant(rtype: &str) -> bool {
    rtype.starts_with("google_")
        && (rtype.ends_with("_iam_member") || rtype.ends_with("_iam_binding"))
}

fn is_iam_policy(rtype: &str) -> bool {
    rtype.starts_with("google_") && rtype.ends_with("_iam_policy")
}

/// An `*_iam_member` or `*_iam_binding`.
fn check_grant(cx: &Cx<'_>, out: &mut Sink, r: &Resource) {
    let role = r.str_at("role").map(str::trim).unwrap_or("(unknown role)");
    if INVOKER_ROLES.contains(&role) {
        return;
    }
    for key in ["member", "members"] {
        let Some(n) = r.at(key) else {
            continue;
        };
        if let Some(m) = n.strings().into_iter().find(|m| is_public_member(m)) {
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` grants `{role}` to `{}` ({})",
                r.addr,
                m.trim(),
                who(m)
            )));
        }
    }
}

/// An `*_iam_policy`: one finding for its document, naming the first public binding.
fn check_policy(cx: &Cx<'_>, out: &mut Sink, r: &Resource) {
    let Some(data) = r.at("policy_data") else {
        return;
    };
    let mut public: Vec<(String, String)> = Vec::new();
    for b in policy_bindings(cx.graph, data) {
        let role = b
            .get("role")
            .and_then(Node::as_str)
            .map(str::trim)
            .unwrap_or("(unknown role)");
        if INVOKER_ROLES.contains(&role) {
            continue;
        }
        let members = b.get("members").map(Node::strings).unwrap_or_default();
        if let Some(m) = members.into_iter().find(|m| is_public_member(m)) {
            public.push((role.to_owned(), m.trim().to_owned()));
        }
    }
    let Some((role, member)) = public.first() else {
        return;
    };
    let more = if public.len() > 1 {
        format!(" and {} more public binding(s)", public.len() - 1)
    } else {
        String::new()
    };
    out.push(cx.at(&RULE, r, data).message(format!(
        "`{}` grants `{role}` to `{member}` ({}){more}",
        r.addr,
        who(member)
    )));
}

/// A BigQuery dataset `access` block, or a `google_bigquery_dataset_access` body.
fn check_dataset_access(cx: &Cx<'_>, out: &mut Sink, r: &Resource, access: &Node) {
    for key in ["special_group", "iam_member"] {
        if let Some(n) = access.get(key)
            && let Some(m) = n.as_str()
            && is_public_member(m)
        {
            let role = access
                .get("role")
                .and_then(Node::as_str)
                .map(str::trim)
                .unwrap_or("(unknown role)");
            out.push(cx.at(&RULE, r, n).message(format!(
                "dataset `{}` grants `{role}` to `{}` ({})",
                r.addr,
                m.trim(),
                who(m)
            )));
        }
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[]) {
        if is_iam_grant(&r.rtype) {
            check_grant(cx, out, r);
        } else if is_iam_policy(&r.rtype) {
            check_policy(cx, out, r);
        }
    }
    for r in cx.of(ACLS) {
        if let Some(n) = r.at("role_entity")
            && let Some(e) = n.strings().into_iter().find(|e| {
                e.split_once(':')
                    .is_some_and(|(_, entity)| is_public_member(entity))
            })
        {
            let entity = e.split_once(':').map_or(e, |(_, entity)| entity);
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` grants `{}` ({})",
                r.addr,
                e.trim(),
                who(entity)
            )));
        }
        if let Some(n) = r.at("predefined_acl")
            && let Some(acl) = n.as_str()
            && let Some(member) = public_predefined_acl(acl)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` applies the predefined ACL `{}`, which opens it to {}",
                r.addr,
                acl.trim(),
                who(member)
            )));
        }
    }
    for r in cx.of(ACCESS_CONTROLS) {
        if let Some(n) = r.at("entity")
            && let Some(m) = n.as_str()
            && is_public_member(m)
        {
            let role = r.str_at("role").map(str::trim).unwrap_or("(unknown role)");
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` grants `{role}` to `{}` ({})",
                r.addr,
                m.trim(),
                who(m)
            )));
        }
    }
    for r in cx.of(&["google_bigquery_dataset"]) {
        for access in r.body.all("access") {
            check_dataset_access(cx, out, r, access);
        }
    }
    for r in cx.of(&["google_bigquery_dataset_access"]) {
        check_dataset_access(cx, out, r, &r.body);
    }
}

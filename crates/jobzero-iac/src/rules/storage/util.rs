//! Helpers shared by the data-store rules: reading switches that may be absent (a default
//! applies) or unknowable (no finding), and finding the public statements of resource
//! policies.

use jobzero_core::RuleMeta;
use jobzero_core::finding::FindingBuilder;

use crate::audit::Cx;
use crate::aws::is_open_cidr;
use crate::model::Resource;
use crate::node::{Node, Val};
use crate::policy::{self, Statement};

/// What a dotted path under a resource holds.
pub(super) enum Found<'a> {
    /// A known value.
    Value(&'a Node),
    /// Nothing: the argument, or a block on its way, is not written (or is `null`).
    Absent,
    /// Something known only at deploy time is on the way.
    Unknown,
}

/// The value at a dotted path of `body` (lists are entered at their first item, as
/// Terraform's single blocks are), telling an absent value from an unknowable one.
pub(super) fn find<'a>(body: &'a Node, path: &str) -> Found<'a> {
    let mut current = body;
    for key in path.split('.') {
        if !current.is_known() {
            return Found::Unknown;
        }
        if current.is_null() {
            return Found::Absent;
        }
        match current.get(key) {
            Some(n) => current = n,
            None => return Found::Absent,
        }
    }
    if !current.is_known() {
        Found::Unknown
    } else if current.is_null() {
        Found::Absent
    } else {
        Found::Value(current)
    }
}

/// Whether nothing (or an empty string) is written at `path`: for optional key references
/// such as `kms_key_id`.
pub(super) fn unset(body: &Node, path: &str) -> bool {
    match find(body, path) {
        Found::Absent => true,
        Found::Value(n) => n.as_str().is_some_and(|s| s.trim().is_empty()),
        Found::Unknown => false,
    }
}

/// The state of a boolean switch.
pub(super) enum Switch<'a> {
    /// Known to be on.
    On,
    /// Written as `false`.
    Off(&'a Node),
    /// Not written: the default applies.
    Default,
    /// Not knowable without deploying.
    Unknown,
}

/// The state of the boolean at `path` of `body`.
pub(super) fn switch<'a>(body: &'a Node, path: &str) -> Switch<'a> {
    match find(body, path) {
        Found::Absent => Switch::Default,
        Found::Unknown => Switch::Unknown,
        Found::Value(n) => match n.as_bool() {
            Some(true) => Switch::On,
            Some(false) => Switch::Off(n),
            None => Switch::Unknown,
        },
    }
}

/// A finding about `r` when the boolean at `path` of its body is off, written `false` or
/// left to its default of `false`; `consequence` ends the message ("its storage is not
/// encrypted").
pub(super) fn report_off(
    cx: &Cx<'_>,
    rule: &'static RuleMeta,
    r: &Resource,
    path: &str,
    consequence: &str,
) -> Option<FindingBuilder> {
    match switch(&r.body, path) {
        Switch::Off(n) => Some(cx.at(rule, r, n).message(format!(
            "`{}` sets `{path}` to `{n}`, so {consequence}",
            r.addr
        ))),
        Switch::Default => Some(cx.missing(rule, r, path).message(format!(
            "`{}` does not set `{path}` (default `false`), so {consequence}",
            r.addr
        ))),
        Switch::On | Switch::Unknown => None,
    }
}

/// A finding about `r` only when the boolean at `path` is written `false` (for switches
/// whose default is on, or depends on things the code does not show).
pub(super) fn report_explicit_off(
    cx: &Cx<'_>,
    rule: &'static RuleMeta,
    r: &Resource,
    path: &str,
    consequence: &str,
) -> Option<FindingBuilder> {
    match switch(&r.body, path) {
        Switch::Off(n) => Some(cx.at(rule, r, n).message(format!(
            "`{}` sets `{path}` to `{n}`, so {consequence}",
            r.addr
        ))),
        Switch::On | Switch::Default | Switch::Unknown => None,
    }
}

/// Whether a condition really limits who may use a statement: a restricting key (see
/// [`policy::RESTRICTING_KEYS`]) compared with a positive operator to values that are not
/// wildcards (nor, for `aws:SourceIp`, the whole internet).
fn limits(operator: &str, key: &str, values: &[String]) -> bool {
    let key = key.to_ascii_lowercase();
    let op = operator.to_ascii_lowercase();
    policy::RESTRICTING_KEYS.contains(&key.as_str())
        && !op.contains("not")
        && !op.ends_with("ifexists")
        && !op.starts_with("null")
        && !values.is_empty()
        && !values
            .iter()
            .any(|v| v.contains('*') || (key == "aws:sourceip" && is_open_cidr(v)))
}

/// Whether a statement allows anyone, anywhere: `Allow` to the `*` principal with no
/// condition that limits it to an account, organisation, network or source.
pub(super) fn is_public(s: &Statement<'_>) -> bool {
    s.allow
        && s.principal_is_anyone()
        && !s
            .conditions
            .iter()
            .any(|c| limits(&c.operator, &c.key, &c.values))
}

/// A public statement found in a resource policy.
pub(super) struct Public {
    /// The finding, pointing at the statement when it is written in the resource, at the
    /// policy argument otherwise.
    pub(super) finding: FindingBuilder,
    /// The actions allowed, shortened for a message (`s3:GetObject, s3:ListBucket`).
    pub(super) actions: String,
    /// Whether the statement allows every action (`*`, `s3:*`) or uses `NotAction`.
    pub(super) full: bool,
}

/// The first public statement of the policy document that `policy` (an argument of `r`)
/// holds, if any; `None` as well when the document cannot be read.
pub(super) fn public_statement(
    cx: &Cx<'_>,
    rule: &'static RuleMeta,
    r: &Resource,
    policy: &Node,
) -> Option<Public> {
    let doc = policy::document(cx.graph, policy)?;
    let statements = policy::statements(&doc);
    let st = statements.iter().find(|s| is_public(s))?;
    let inside =
        !r.body.route.is_empty() && st.node.route.starts_with(&format!("{}.", r.body.route));
    let at: &Node = if inside { st.node } else { policy };
    let full =
        !st.not_actions.is_empty() || st.actions.iter().any(|a| a == "*" || a.ends_with(":*"));
    let actions = if !st.not_actions.is_empty() {
        format!("everything but {}", shorten(&st.not_actions))
    } else if st.actions.is_empty() {
        "(unknown actions)".to_owned()
    } else {
        shorten(&st.actions)
    };
    Some(Public {
        finding: cx.at(rule, r, at),
        actions,
        full,
    })
}

/// Up to three items, comma-separated, with a count of the rest.
pub(super) fn shorten(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(3).map(String::as_str).collect();
    if items.len() > 3 {
        format!("{} and {} more", shown.join(", "), items.len() - 3)
    } else {
        shown.join(", ")
    }
}

/// The known string at `path`, case-folded to ASCII lowercase.
pub(super) fn lower(body: &Node, path: &str) -> Option<String> {
    match find(body, path) {
        Found::Value(n) => n.as_str().map(str::to_ascii_lowercase),
        Found::Absent | Found::Unknown => None,
    }
}

/// Whether `n` is a known list (or single string) containing `value`, ASCII case-insensitively.
pub(super) fn contains_str(n: &Node, value: &str) -> bool {
    match &n.val {
        Val::Str(s) => s.eq_ignore_ascii_case(value),
        Val::List(items) => items
            .iter()
            .any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case(value))),
        _ => false,
    }
}

/// Whether the module turns on EBS encryption by default for the account and region
/// (`aws_ebs_encryption_by_default`, whose `enabled` defaults to `true`): every new volume
/// is then encrypted whatever its own arguments say.
pub(super) fn ebs_encrypted_by_default(cx: &Cx<'_>) -> bool {
    cx.graph
        .of(&["aws_ebs_encryption_by_default"])
        .any(|r| matches!(switch(&r.body, "enabled"), Switch::On | Switch::Default))
}

/// OpenSearch and Elasticsearch domains, Terraform and CloudFormation.
pub(super) const SEARCH_DOMAINS: &[&str] = &[
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
];

/// The path of a search domain setting: `tf` for Terraform, `cfn` for CloudFormation.
pub(super) fn domain_key<'k>(r: &Resource, tf: &'k str, cfn: &'k str) -> &'k str {
    if r.rtype.starts_with("AWS::") {
        cfn
    } else {
        tf
    }
}

/// Whether a search domain has fine-grained access control on, which requires (and turns
/// on) encryption at rest, node-to-node encryption and HTTPS.
pub(super) fn fine_grained_access(r: &Resource) -> bool {
    let key = domain_key(
        r,
        "advanced_security_options.enabled",
        "AdvancedSecurityOptions.Enabled",
    );
    matches!(switch(&r.body, key), Switch::On)
}

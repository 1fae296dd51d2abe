//! Helpers shared by the group's rules: settings as written, IAM policy and trust documents
//! wherever they are declared, load balancer types and instance metadata options.

use crate::audit::Cx;
use crate::model::Resource;
use crate::node::{Node, Val};
use crate::policy::{self, Statement};

/// A boolean setting as written.
pub(crate) enum Setting<'a> {
    /// Known to be true.
    On,
    /// Known to be false, written at this node.
    Off(&'a Node),
    /// Not written, or `null`: the provider default applies.
    Absent,
    /// Not known before deployment.
    Unknown,
}

/// The boolean setting at `path` of `r`.
pub(crate) fn setting<'a>(r: &'a Resource, path: &str) -> Setting<'a> {
    setting_of(r.at(path))
}

/// The boolean setting `n`.
pub(crate) fn setting_of(n: Option<&Node>) -> Setting<'_> {
    match n {
        None => Setting::Absent,
        Some(n) if n.is_null() => Setting::Absent,
        Some(n) => match n.as_bool() {
            Some(true) => Setting::On,
            Some(false) => Setting::Off(n),
            None => Setting::Unknown,
        },
    }
}

/// A string setting as written.
pub(crate) enum Text<'a> {
    /// Not written, or `null`.
    Absent,
    /// A known string, and where it is written.
    Is(&'a str, &'a Node),
    /// Not known before deployment (or not a string).
    Unknown,
}

/// The string setting `n`.
pub(crate) fn text_of(n: Option<&Node>) -> Text<'_> {
    match n {
        None => Text::Absent,
        Some(n) if n.is_null() => Text::Absent,
        Some(n) => match n.as_str() {
            Some(s) => Text::Is(s, n),
            None => Text::Unknown,
        },
    }
}

/// The strings of `n` when all of them are known: one string, or a list of strings only.
pub(crate) fn known_strings(n: &Node) -> Option<Vec<&str>> {
    match &n.val {
        Val::Str(s) => Some(vec![s.as_str()]),
        Val::List(items) => items.iter().map(Node::as_str).collect(),
        _ => None,
    }
}

/// Whether `n` holds something: a non-empty list or map, a string, a reference, an unknown.
pub(crate) fn non_empty(n: Option<&Node>) -> bool {
    match n.map(|n| &n.val) {
        None | Some(Val::Null) => false,
        Some(Val::List(items)) => !items.is_empty(),
        Some(Val::Map(entries)) => !entries.is_empty(),
        Some(Val::Str(s)) => !s.trim().is_empty(),
        Some(Val::Bool(b)) => *b,
        Some(Val::Num(_) | Val::Ref(_) | Val::Unknown) => true,
    }
}

/// A protocol as a comparable string: numbers as written without a fraction (`-1`, `6`),
/// names in lower case, `""` when unknown.
pub(crate) fn proto(n: Option<&Node>) -> Option<String> {
    n.map(|n| match n.as_num() {
        Some(x) => x.to_string(),
        None => n.as_str().unwrap_or("").to_ascii_lowercase(),
    })
}

/// The `Value` of the `{Key, Value}` item named `key` in the CloudFormation list `list`
/// (`LoadBalancerAttributes`).
pub(crate) fn cfn_attribute<'a>(r: &'a Resource, list: &str, key: &str) -> Option<&'a Node> {
    r.body
        .all(list)
        .into_iter()
        .find(|a| a.get_direct("Key").and_then(Node::as_str) == Some(key))
        .and_then(|a| a.get_direct("Value"))
}

/// Whether the CloudFormation `{Key, Value}` list `list` may hide an item: the list or one
/// of its items or keys is not known.
pub(crate) fn cfn_attributes_unknown(r: &Resource, list: &str) -> bool {
    match r.body.get_direct(list) {
        None => false,
        Some(n) => match &n.val {
            Val::List(items) => items
                .iter()
                .any(|i| i.get_direct("Key").and_then(Node::as_str).is_none()),
            Val::Null => false,
            _ => true,
        },
    }
}

/// Whether a load balancer is an Application Load Balancer, from its type argument
/// (`load_balancer_type`, `Type`; absent means `application`); `None` when unknown.
pub(crate) fn lb_is_application(r: &Resource, type_key: &str) -> Option<bool> {
    match text_of(r.at(type_key)) {
        Text::Absent => Some(true),
        Text::Is(t, _) => Some(t.eq_ignore_ascii_case("application")),
        Text::Unknown => None,
    }
}

/// What the instance metadata options allow.
pub(crate) enum Imds<'a> {
    /// The metadata endpoint is switched off.
    Disabled,
    /// Session tokens (IMDSv2) are required.
    Required,
    /// Tokens are optional, as written at this node.
    Optional(&'a Node),
    /// Nothing says: the AMI or account default applies (`optional` unless changed).
    Absent,
    /// Not known before deployment.
    Unknown,
}

/// The metadata options `options` (a Terraform `metadata_options` block or a CloudFormation
/// `MetadataOptions` map), read with the names of its endpoint and tokens settings.
pub(crate) fn imds<'a>(options: Option<&'a Node>, endpoint: &str, tokens: &str) -> Imds<'a> {
    let Some(mo) = options else {
        return Imds::Absent;
    };
    if mo.is_null() {
        return Imds::Absent;
    }
    if !mo.is_known() {
        return Imds::Unknown;
    }
    if mo
        .get(endpoint)
        .and_then(Node::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("disabled"))
    {
        return Imds::Disabled;
    }
    match text_of(mo.get(tokens)) {
        Text::Absent => Imds::Absent,
        Text::Is(s, _) if s.eq_ignore_ascii_case("required") => Imds::Required,
        Text::Is(_, n) => Imds::Optional(n),
        Text::Unknown => Imds::Unknown,
    }
}

/// Whether the module sets the account-wide default of new instances to IMDSv2 only
/// (`aws_ec2_instance_metadata_defaults`).
pub(crate) fn account_requires_imdsv2(cx: &Cx<'_>) -> bool {
    cx.graph
        .of(&["aws_ec2_instance_metadata_defaults"])
        .any(|d| {
            d.str_at("http_tokens")
                .is_some_and(|t| t.eq_ignore_ascii_case("required"))
        })
}

/// One policy document, with the resource that holds it and the argument that writes it.
pub(crate) struct Doc<'a> {
    /// The resource.
    pub(crate) r: &'a Resource,
    /// The resource's own argument holding the document: where findings point unless the
    /// statement itself is written inside the resource.
    pub(crate) at: &'a Node,
    /// The document in the JSON shape.
    pub(crate) doc: Node,
}

impl Doc<'_> {
    /// Where a finding about `st` points: the statement when it is written inside the
    /// resource, otherwise the resource's argument (the statement may be in a data source).
    pub(crate) fn node_of<'s>(&'s self, st: &Statement<'s>) -> &'s Node {
        let base = self.r.body.route.as_str();
        let route = st.node.route.as_str();
        let inside = !base.is_empty()
            && (route == base
                || route
                    .strip_prefix(base)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('[')));
        if inside { st.node } else { self.at }
    }

    /// The evidence of a finding about `st`: the resource and the statement's route, so that
    /// two statements of one document stay two findings.
    pub(crate) fn evidence(&self, st: &Statement<'_>) -> String {
        format!("{} {}", self.r.addr, st.node.route)
    }
}

/// Every identity policy document of this file: the `policy` of `aws_iam_policy`,
/// `aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy`, the
/// `inline_policy` blocks of `aws_iam_role`; CloudFormation `PolicyDocument` of
/// `AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`, `UserPolicy`, `GroupPolicy` and the
/// `Policies` of `AWS::IAM::Role`, `User` and `Group`.
pub(crate) fn identity_policies<'a>(cx: &Cx<'a>) -> Vec<Doc<'a>> {
    let mut out = Vec::new();
    let graph = cx.graph;
    let mut add = |r: &'a Resource, at: &'a Node| {
        if let Some(doc) = policy::document(graph, at) {
            out.push(Doc { r, at, doc });
        }
    };
    for r in cx.of(&[
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
    ]) {
        if let Some(at) = r.body.get_direct("policy") {
            add(r, at);
        }
    }
    for r in cx.of(&["aws_iam_role"]) {
        for p in r.body.all("inline_policy") {
            if let Some(at) = p.get_direct("policy") {
                add(r, at);
            }
        }
    }
    for r in cx.of(&[
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy",
        "AWS::IAM::UserPolicy",
        "AWS::IAM::GroupPolicy",
    ]) {
        if let Some(at) = r.body.get_direct("PolicyDocument") {
            add(r, at);
        }
    }
    for r in cx.of(&["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]) {
        for p in r.body.all("Policies") {
            if let Some(at) = p.get_direct("PolicyDocument") {
                add(r, at);
            }
        }
    }
    out
}

/// Every role trust policy of this file: `assume_role_policy` of `aws_iam_role`,
/// `AssumeRolePolicyDocument` of `AWS::IAM::Role`.
pub(crate) fn trust_policies<'a>(cx: &Cx<'a>) -> Vec<Doc<'a>> {
    let mut out = Vec::new();
    for r in cx.of(&["aws_iam_role"]) {
        if let Some(at) = r.body.get_direct("assume_role_policy")
            && let Some(doc) = policy::document(cx.graph, at)
        {
            out.push(Doc { r, at, doc });
        }
    }
    for r in cx.of(&["AWS::IAM::Role"]) {
        if let Some(at) = r.body.get_direct("AssumeRolePolicyDocument")
            && let Some(doc) = policy::document(cx.graph, at)
        {
            out.push(Doc { r, at, doc });
        }
    }
    out
}

/// Whether an action pattern grants every action of every service (`*`, `*:*`).
pub(crate) fn is_full_wildcard(action: &str) -> bool {
    let a = action.trim();
    a == "*" || a == "*:*"
}

/// The actions of `list` that an `Allow` statement grants through a pattern other than the
/// full wildcard (which `iam-policy-admin-access` reports): `iam:*` grants `iam:PassRole`,
/// and a listed pattern such as `ssm:GetParameter*` covers the written `ssm:GetParameters`.
pub(crate) fn granted<'l>(st: &Statement<'_>, list: &[&'l str]) -> Vec<&'l str> {
    if !st.allow {
        return Vec::new();
    }
    list.iter()
        .copied()
        .filter(|wanted| {
            st.actions.iter().any(|a| {
                !is_full_wildcard(a)
                    && (policy::wildcard_match(a, wanted) || policy::wildcard_match(wanted, a))
            })
        })
        .collect()
}

/// Whether a statement has a condition on one of `keys` (lower case).
pub(crate) fn has_condition(st: &Statement<'_>, keys: &[&str]) -> bool {
    st.conditions
        .iter()
        .any(|c| keys.contains(&c.key.to_ascii_lowercase().as_str()))
}

/// Up to four items in backticks, then how many more.
pub(crate) fn listing(items: &[&str]) -> String {
    let shown: Vec<String> = items.iter().take(4).map(|i| format!("`{i}`")).collect();
    let more = items.len().saturating_sub(4);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The account a principal identifier names as a whole: a bare 12-digit account id or an
/// account root ARN (`arn:aws:iam::123456789012:root`).
pub(crate) fn account_of(id: &str) -> Option<&str> {
    let digits = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    let id = id.trim();
    if digits(id) {
        return Some(id);
    }
    let mut parts = id.strip_prefix("arn:")?.splitn(5, ':');
    let (_partition, service, _region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (service == "iam" && resource == "root" && digits(account)).then_some(account)
}

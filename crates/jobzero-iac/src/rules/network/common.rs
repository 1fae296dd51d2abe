//! Helpers shared by the group's rules: settings as written, load balancer types and
//! instance metadata options.

use crate::audit::Cx;
use crate::model::Resource;
use crate::node::{Node, Val};
pub(crate) use jobzero_core::words::listing;

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

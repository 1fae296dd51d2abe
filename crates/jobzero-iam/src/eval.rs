//! The IAM evaluation logic for one request against a set of policies: an explicit deny
//! wins over an allow, which wins over the implicit deny. Principals, actions and resources
//! match with `*` and `?`; policy variables (`${aws:username}`, `${*}`) are substituted;
//! every condition operator of the IAM reference is implemented, with `...IfExists` and the
//! `ForAllValues:`/`ForAnyValue:` set qualifiers.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::document::{Condition, Effect, Policy, Principals, Statement};
use crate::glob::{matches, matches_with};

/// Who makes a request.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Caller {
    /// An IAM identity (`arn:aws:iam::111122223333:role/app`), or an account's root
    /// (`arn:aws:iam::111122223333:root`).
    Aws(String),
    /// An AWS service (`lambda.amazonaws.com`).
    Service(String),
    /// A federated identity provider (`cognito-identity.amazonaws.com`, an OIDC/SAML ARN).
    Federated(String),
    /// An unauthenticated caller.
    Anonymous,
}

impl Caller {
    /// Reads `--principal`: an ARN, a 12-digit account (its root), a service name ending in
    /// `.amazonaws.com`, `anonymous` or `*`.
    pub fn parse(s: &str) -> Caller {
        let s = s.trim();
        if s == "*" || s.eq_ignore_ascii_case("anonymous") {
            Caller::Anonymous
        } else if s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()) {
            Caller::Aws(format!("arn:aws:iam::{s}:root"))
        } else if s.starts_with("arn:")
            && (s.contains(":oidc-provider/") || s.contains(":saml-provider/"))
        {
            Caller::Federated(s.to_owned())
        } else if s.starts_with("arn:") {
            Caller::Aws(s.to_owned())
        } else if s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn") {
            Caller::Service(s.to_owned())
        } else {
            Caller::Federated(s.to_owned())
        }
    }

    /// The account of an IAM caller.
    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Aws(arn) => arn.split(':').nth(4).filter(|a| !a.is_empty()),
            _ => None,
        }
    }

    /// The value a policy's `Principal` would name it by.
    pub fn id(&self) -> &str {
        match self {
            Caller::Aws(s) | Caller::Service(s) | Caller::Federated(s) => s,
            Caller::Anonymous => "*",
        }
    }
}

/// One request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Who.
    pub caller: Caller,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN (or `*`).
    pub resource: String,
    /// Condition keys (lower case) and their values; absent keys are not in the map.
    pub context: BTreeMap<String, Vec<String>>,
}

impl Request {
    /// A request, with the keys AWS derives from the caller (`aws:PrincipalAccount`,
    /// `aws:PrincipalArn`, `aws:PrincipalServiceName`) unless given.
    pub fn new(
        caller: Caller,
        action: &str,
        resource: &str,
        context: BTreeMap<String, Vec<String>>,
    ) -> Request {
        let mut context: BTreeMap<String, Vec<String>> = context
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        if let Some(account) = caller.account() {
            // `kms:CallerAccount` is KMS's name for the caller's account.
            for key in ["aws:principalaccount", "kms:calleraccount"] {
                context
                    .entry(key.into())
                    .or_insert_with(|| vec![account.to_owned()]);
            }
        }
        match &caller {
            Caller::Aws(arn) => {
                context
                    .entry("aws:principalarn".into())
                    .or_insert_with(|| vec![arn.clone()]);
            }
            Caller::Service(s) => {
                context
                    .entry("aws:principalservicename".into())
                    .or_insert_with(|| vec![s.clone()]);
            }
            _ => {}
        }
        context
            .entry("aws:principalisawsservice".into())
            .or_insert_with(|| vec![matches!(caller, Caller::Service(_)).to_string()]);
        Request {
            caller,
            action: action.to_owned(),
            resource: resource.to_owned(),
            context,
        }
    }

    fn get(&self, key: &str) -> Option<&Vec<String>> {
        self.context.get(&key.to_ascii_lowercase())
    }
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// At least one statement allows, none denies.
    Allow,
    /// A statement denies.
    ExplicitDeny,
    /// Nothing allows.
    ImplicitDeny,
}

/// A decision and the statement that made it (policy index, statement index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The decision.
    pub decision: Decision,
    /// The deciding statement, for allow and explicit deny.
    pub by: Option<(usize, usize)>,
}

/// Evaluates `request` against every policy of `policies` as one set (identity and resource
/// policies of one account; a cross-account request also needs the other side's allow,
/// which callers check by evaluating each side).
pub fn evaluate(policies: &[&Policy], request: &Request) -> Outcome {
    let mut allow = None;
    for (pi, p) in policies.iter().enumerate() {
        for (si, s) in p.statements.iter().enumerate() {
            if !applies(s, request) {
                continue;
            }
            match s.effect {
                Effect::Deny => {
                    return Outcome {
                        decision: Decision::ExplicitDeny,
                        by: Some((pi, si)),
                    };
                }
                Effect::Allow => {
                    allow = allow.or(Some((pi, si)));
                }
            }
        }
    }
    match allow {
        Some(by) => Outcome {
            decision: Decision::Allow,
            by: Some(by),
        },
        None => Outcome {
            decision: Decision::ImplicitDeny,
            by: None,
        },
    }
}

/// Whether a statement matches the request (principal, action, resource and conditions).
pub fn applies(s: &Statement, r: &Request) -> bool {
    principal_matches(s, r)
        && action_matches(s, r)
        && resource_matches(s, r)
        && s.conditions.iter().all(|c| condition_holds(c, r))
}

fn principal_matches(s: &Statement, r: &Request) -> bool {
    match (&s.principal, &s.not_principal) {
        (Some(p), _) => principals_match(p, &r.caller),
        (None, Some(np)) => !principals_match(np, &r.caller),
        // An identity policy applies to the identity it is attached to.
        (None, None) => true,
    }
}

/// Whether `caller` is one of `p`.
pub fn principals_match(p: &Principals, caller: &Caller) -> bool {
    match p {
        Principals::Anyone => true,
        Principals::Typed(list) => list.iter().any(|(ty, ids)| {
            ids.iter().any(|id| {
                let id = id.value.as_str();
                match (ty.as_str(), caller) {
                    // `{"AWS": "*"}` is every authenticated or anonymous caller of AWS.
                    ("AWS", _) if id == "*" => true,
                    ("AWS", Caller::Aws(arn)) => aws_principal_matches(id, arn),
                    ("Service", Caller::Service(s)) => id.eq_ignore_ascii_case(s),
                    ("Federated", Caller::Federated(f)) => id == f,
                    _ => false,
                }
            })
        }),
    }
}

/// `{"AWS": id}` against a caller's ARN: an account id or root ARN names every identity of
/// the account; anything else must be the exact ARN.
fn aws_principal_matches(id: &str, arn: &str) -> bool {
    let account_of = |s: &str| -> Option<String> {
        if s.len() == 12 && s.chars().all(|c| c.is_ascii_digit()) {
            return Some(s.to_owned());
        }
        s.strip_suffix(":root")
            .and_then(|p| p.split(':').nth(4))
            .map(str::to_owned)
    };
    match account_of(id) {
        Some(account) => arn.split(':').nth(4) == Some(account.as_str()),
        None => id == arn,
    }
}

fn action_matches(s: &Statement, r: &Request) -> bool {
    match (&s.action, &s.not_action) {
        (Some(a), _) => a.iter().any(|p| matches(&p.value, &r.action)),
        (None, Some(na)) => !na.iter().any(|p| matches(&p.value, &r.action)),
        (None, None) => false,
    }
}

fn resource_matches(s: &Statement, r: &Request) -> bool {
    let hit = |p: &str| match substitute(p, r, true) {
        Some(p) => arn_like(&p, &r.resource),
        None => false,
    };
    match (&s.resource, &s.not_resource) {
        (Some(a), _) => a.iter().any(|p| hit(&p.value)),
        (None, Some(na)) => !na.iter().any(|p| hit(&p.value)),
        // Trust policies and some resource policies name no resource: the resource is the one
        // the policy is attached to.
        (None, None) => true,
    }
}

/// ARN matching: `*` alone matches anything; otherwise wildcards match within the text,
/// case-sensitively, as IAM does for resources.
fn arn_like(pattern: &str, arn: &str) -> bool {
    pattern == "*" || matches_with(pattern, arn, false)
}

/// `text` with its policy variables replaced from the request; `None` when one is missing
/// (the element then does not match). In `glob` mode, `${*}`, `${?}`, `${$}` stand for the
/// literal characters, which are then escaped by being compared literally (IAM's rule).
fn substitute(text: &str, r: &Request, glob: bool) -> Option<String> {
    if !text.contains("${") {
        return Some(text.to_owned());
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let inner = after[..end].trim();
        match inner {
            "*" | "?" | "$" => {
                // A literal wildcard character cannot be escaped in our glob; keep `?` as a
                // one-character wildcard, which accepts the literal (a superset, never less).
                out.push_str(if glob && inner == "*" { "?" } else { inner });
            }
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => (k.trim(), Some(d.trim().trim_matches('\'').to_owned())),
                    None => (inner, None),
                };
                match r.get(key).and_then(|v| v.first()) {
                    Some(v) => out.push_str(v),
                    None => out.push_str(&default?),
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// An operator split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// `ForAnyValue:` / `ForAllValues:` qualifier, if any.
    pub set: Option<SetQualifier>,
    /// The base operator (`StringLike`).
    pub base: Base,
    /// `...IfExists`.
    pub if_exists: bool,
}

/// Set qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    /// Some request value matches.
    AnyValue,
    /// Every request value matches (vacuously true when there is none).
    AllValues,
}

/// Base operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// `StringEquals` and friends.
    String {
        /// `Not` form.
        negated: bool,
        /// `IgnoreCase` form.
        ignore_case: bool,
        /// `Like` form (wildcards).
        like: bool,
    },
    /// `NumericEquals` and friends.
    Numeric {
        /// The comparison.
        cmp: Cmp,
        /// `NotEquals`.
        negated: bool,
    },
    /// `DateEquals` and friends.
    Date {
        /// The comparison.
        cmp: Cmp,
        /// `NotEquals`.
        negated: bool,
    },
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress` / `NotIpAddress`.
    Ip {
        /// `NotIpAddress`.
        negated: bool,
    },
    /// `ArnEquals` / `ArnLike` and their negations.
    Arn {
        /// `ArnNotEquals` / `ArnNotLike`.
        negated: bool,
    },
    /// `Null`.
    Null,
}

/// Comparisons of numbers and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `Equals`.
    Eq,
    /// `LessThan`.
    Lt,
    /// `LessThanEquals`.
    Le,
    /// `GreaterThan`.
    Gt,
    /// `GreaterThanEquals`.
    Ge,
}

impl Operator {
    /// Parses an operator name; `None` when IAM does not know it.
    pub fn parse(name: &str) -> Option<Operator> {
        let (set, rest) = if let Some(r) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::AnyValue), r)
        } else if let Some(r) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::AllValues), r)
        } else {
            (None, name)
        };
        let (rest, if_exists) = match rest.strip_suffix("IfExists") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let cmp = |s: &str| -> Option<(Cmp, bool)> {
            Some(match s {
                "Equals" => (Cmp::Eq, false),
                "NotEquals" => (Cmp::Eq, true),
                "LessThan" => (Cmp::Lt, false),
                "LessThanEquals" => (Cmp::Le, false),
                "GreaterThan" => (Cmp::Gt, false),
                "GreaterThanEquals" => (Cmp::Ge, false),
                _ => return None,
            })
        };
        let base = match rest {
            "StringEquals" => Base::String {
                negated: false,
                ignore_case: false,
                like: false,
            },
            "StringNotEquals" => Base::String {
                negated: true,
                ignore_case: false,
                like: false,
            },
            "StringEqualsIgnoreCase" => Base::String {
                negated: false,
                ignore_case: true,
                like: false,
            },
            "StringNotEqualsIgnoreCase" => Base::String {
                negated: true,
                ignore_case: true,
                like: false,
            },
            "StringLike" => Base::String {
                negated: false,
                ignore_case: false,
                like: true,
            },
            "StringNotLike" => Base::String {
                negated: true,
                ignore_case: false,
                like: true,
            },
            "Bool" => Base::Bool,
            "BinaryEquals" => Base::Binary,
            "IpAddress" => Base::Ip { negated: false },
            "NotIpAddress" => Base::Ip { negated: true },
            "ArnEquals" | "ArnLike" => Base::Arn { negated: false },
            "ArnNotEquals" | "ArnNotLike" => Base::Arn { negated: true },
            "Null" if !if_exists && set.is_none() => Base::Null,
            other => {
                if let Some(c) = other.strip_prefix("Numeric").and_then(cmp) {
                    Base::Numeric {
                        cmp: c.0,
                        negated: c.1,
                    }
                } else if let Some(c) = other.strip_prefix("Date").and_then(cmp) {
                    Base::Date {
                        cmp: c.0,
                        negated: c.1,
                    }
                } else {
                    return None;
                }
            }
        };
        Some(Operator {
            set,
            base,
            if_exists,
        })
    }

    /// Whether the base operator is a negation (`StringNotEquals`, `NotIpAddress`, ...).
    pub fn negated(&self) -> bool {
        matches!(
            self.base,
            Base::String { negated: true, .. }
                | Base::Numeric { negated: true, .. }
                | Base::Date { negated: true, .. }
                | Base::Ip { negated: true }
                | Base::Arn { negated: true }
        )
    }
}

/// Whether a condition holds for the request. An operator IAM does not know never holds
/// (IAM refuses such a policy; validation reports it).
pub fn condition_holds(c: &Condition, r: &Request) -> bool {
    let Some(op) = Operator::parse(&c.operator.value) else {
        return false;
    };
    let present = r.get(&c.key.value);
    if op.base == Base::Null {
        let absent = present.is_none_or(Vec::is_empty);
        return c
            .values
            .iter()
            .any(|v| v.eq_ignore_ascii_case("true") == absent);
    }
    let policy_values: Vec<String> = c
        .values
        .iter()
        .filter_map(|v| {
            substitute(
                v,
                r,
                matches!(op.base, Base::String { like: true, .. } | Base::Arn { .. }),
            )
        })
        .collect();
    let Some(values) = present.filter(|v| !v.is_empty()) else {
        return match op.set {
            // Nothing to check, so every value (none) matches.
            Some(SetQualifier::AllValues) => true,
            Some(SetQualifier::AnyValue) => false,
            // A missing key: `IfExists` holds; a negated operator holds too (the value is
            // "not equal" to anything), which is how IAM behaves.
            None => op.if_exists || op.negated(),
        };
    };
    // For one request value: does it match the (positive form of the) operator for any
    // policy value? Negation is applied after, so that `StringNotEquals [a, b]` is "neither".
    let positive = |v: &str| policy_values.iter().any(|p| base_match(op.base, p, v));
    let one = |v: &str| {
        if op.negated() {
            !positive(v)
        } else {
            positive(v)
        }
    };
    match op.set {
        Some(SetQualifier::AllValues) => values.iter().all(|v| one(v)),
        Some(SetQualifier::AnyValue) | None => values.iter().any(|v| one(v)),
    }
}

/// The positive form of a base operator on one policy value and one request value.
fn base_match(base: Base, policy: &str, value: &str) -> bool {
    match base {
        Base::String {
            ignore_case, like, ..
        } => {
            if like {
                matches_with(policy, value, false)
            } else if ignore_case {
                policy.eq_ignore_ascii_case(value)
            } else {
                policy == value
            }
        }
        Base::Numeric { cmp, .. } => {
            match (policy.trim().parse::<f64>(), value.trim().parse::<f64>()) {
                (Ok(p), Ok(v)) => compare(cmp, v.partial_cmp(&p)),
                _ => false,
            }
        }
        Base::Date { cmp, .. } => match (date(policy), date(value)) {
            (Some(p), Some(v)) => compare(cmp, Some(v.cmp(&p))),
            _ => false,
        },
        Base::Bool => policy.eq_ignore_ascii_case(value),
        Base::Binary => policy == value,
        Base::Ip { .. } => ip_in(policy, value),
        Base::Arn { .. } => arn_match(policy, value),
        Base::Null => false,
    }
}

fn compare(cmp: Cmp, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (cmp, ord),
        (Cmp::Eq, Some(Equal))
            | (Cmp::Lt, Some(Less))
            | (Cmp::Le, Some(Less | Equal))
            | (Cmp::Gt, Some(Greater))
            | (Cmp::Ge, Some(Greater | Equal))
    )
}

/// A date as IAM accepts it: ISO 8601 (`2026-01-01`, `2026-01-01T12:00:00Z`) or epoch
/// seconds, as seconds since the epoch.
pub fn date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Some(ts.as_second());
    }
    let d: jiff::civil::Date = s.parse().ok()?;
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// Whether address `value` is in the CIDR (or single address) `policy`.
fn ip_in(policy: &str, value: &str) -> bool {
    let Ok(addr) = value.trim().parse::<IpAddr>() else {
        return false;
    };
    let policy = policy.trim();
    match policy.parse::<ipnet::IpNet>() {
        Ok(net) => net.contains(&addr),
        Err(_) => policy.parse::<IpAddr>().is_ok_and(|p| p == addr),
    }
}

/// `ArnLike`: the six colon-separated parts compared one by one with wildcards (the
/// resource part may itself contain colons).
fn arn_match(policy: &str, value: &str) -> bool {
    if policy == "*" {
        return true;
    }
    let p: Vec<&str> = policy.splitn(6, ':').collect();
    let v: Vec<&str> = value.splitn(6, ':').collect();
    p.len() == v.len() && p.iter().zip(&v).all(|(p, v)| matches_with(p, v, false))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn policy(json: &str) -> Policy {
        let p = Policy::parse(json).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        p
    }

    fn req(caller: &str, action: &str, resource: &str, ctx: &[(&str, &str)]) -> Request {
        let mut context: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in ctx {
            context
                .entry((*k).to_owned())
                .or_default()
                .push((*v).to_owned());
        }
        Request::new(Caller::parse(caller), action, resource, context)
    }

    #[test]
    fn deny_beats_allow_beats_nothing() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"s3:*","Resource":"*"},
              {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]}"#,
        );
        let d = |a: &str, r: &str| evaluate(&[&p], &req("111122223333", a, r, &[])).decision;
        assert_eq!(d("s3:GetObject", "arn:aws:s3:::b/k"), Decision::Allow);
        assert_eq!(
            d("s3:DeleteObject", "arn:aws:s3:::b/k"),
            Decision::ExplicitDeny
        );
        assert_eq!(d("ec2:RunInstances", "*"), Decision::ImplicitDeny);
    }

    #[test]
    fn principals_accounts_and_services() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"111122223333","Service":"lambda.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}]}"#,
        );
        let d = |who: &str| {
            evaluate(
                &[&p],
                &req(who, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", &[]),
            )
            .decision
        };
        assert_eq!(d("arn:aws:iam::111122223333:role/app"), Decision::Allow);
        assert_eq!(
            d("arn:aws:iam::444455556666:role/app"),
            Decision::ImplicitDeny
        );
        assert_eq!(d("lambda.amazonaws.com"), Decision::Allow);
        assert_eq!(d("anonymous"), Decision::ImplicitDeny);
    }

    #[test]
    fn conditions_of_every_family() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*",
              "Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.7"]},
                           "StringNotEquals":{"aws:PrincipalTag/team":["red","blue"]},
                           "NumericLessThanEquals":{"s3:max-keys":"10"},
                           "DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},
                           "Bool":{"aws:SecureTransport":"true"},
                           "ForAllValues:StringLike":{"aws:TagKeys":["env*"]}}}]}"#,
        );
        let base = [
            ("aws:username", "ana"),
            ("aws:SourceIp", "10.1.2.3"),
            ("s3:max-keys", "5"),
            ("aws:CurrentTime", "2026-11-24T00:00:00Z"),
            ("aws:SecureTransport", "true"),
            ("aws:TagKeys", "env"),
            ("aws:TagKeys", "environment"),
        ];
        let d = |extra: &[(&str, &str)], drop: &str, res: &str| {
            let ctx: Vec<(&str, &str)> = base
                .iter()
                .copied()
                .filter(|(k, _)| *k != drop)
                .chain(extra.iter().copied())
                .collect();
            evaluate(&[&p], &req("*", "s3:GetObject", res, &ctx)).decision
        };
        let mine = "arn:aws:s3:::b/ana/file";
        assert_eq!(d(&[], "", mine), Decision::Allow);
        assert_eq!(
            d(&[], "", "arn:aws:s3:::b/bob/file"),
            Decision::ImplicitDeny,
            "policy variable"
        );
        assert_eq!(
            d(&[], "aws:username", mine),
            Decision::ImplicitDeny,
            "unresolved variable"
        );
        assert_eq!(
            d(&[("aws:SourceIp", "192.0.2.7")], "aws:SourceIp", mine),
            Decision::Allow
        );
        assert_eq!(
            d(&[("aws:SourceIp", "203.0.113.1")], "aws:SourceIp", mine),
            Decision::ImplicitDeny
        );
        assert_eq!(
            d(&[("aws:PrincipalTag/team", "red")], "", mine),
            Decision::ImplicitDeny,
            "negation is neither"
        );
        assert_eq!(
            d(&[("aws:PrincipalTag/team", "green")], "", mine),
            Decision::Allow
        );
        assert_eq!(
            d(&[("s3:max-keys", "11")], "s3:max-keys", mine),
            Decision::ImplicitDeny
        );
        assert_eq!(
            d(
                &[("aws:CurrentTime", "2031-01-01")],
                "aws:CurrentTime",
                mine
            ),
            Decision::ImplicitDeny
        );
        assert_eq!(
            d(
                &[("aws:SecureTransport", "false")],
                "aws:SecureTransport",
                mine
            ),
            Decision::ImplicitDeny
        );
        assert_eq!(
            d(&[("aws:TagKeys", "owner")], "", mine),
            Decision::ImplicitDeny,
            "for all values"
        );
        assert_eq!(
            d(&[], "aws:TagKeys", mine),
            Decision::Allow,
            "vacuous for all values"
        );
        assert_eq!(
            d(&[], "aws:SourceIp", mine),
            Decision::ImplicitDeny,
            "missing key"
        );
    }

    #[test]
    fn if_exists_null_and_not_elements() {
        let p = policy(
            r#"{"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*",
               "Condition":{"StringEqualsIfExists":{"aws:RequestedRegion":"eu-west-1"},"Null":{"aws:MultiFactorAuthAge":"false"}}}]}"#,
        );
        let d = |a: &str, r: &str, ctx: &[(&str, &str)]| {
            evaluate(&[&p], &req("111122223333", a, r, ctx)).decision
        };
        let mfa = [("aws:MultiFactorAuthAge", "30")];
        assert_eq!(
            d("s3:GetObject", "arn:aws:s3:::open/k", &mfa),
            Decision::Allow
        );
        assert_eq!(d("iam:CreateUser", "*", &mfa), Decision::ImplicitDeny);
        assert_eq!(
            d("s3:GetObject", "arn:aws:s3:::secret/k", &mfa),
            Decision::ImplicitDeny
        );
        assert_eq!(
            d("s3:GetObject", "arn:aws:s3:::open/k", &[]),
            Decision::ImplicitDeny,
            "Null false needs the key"
        );
        let other = [
            ("aws:MultiFactorAuthAge", "30"),
            ("aws:RequestedRegion", "us-east-1"),
        ];
        assert_eq!(
            d("s3:GetObject", "arn:aws:s3:::open/k", &other),
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn operators_parse_or_are_refused() {
        assert!(Operator::parse("ForAnyValue:StringLikeIfExists").is_some());
        assert!(Operator::parse("NumericGreaterThanEquals").is_some());
        assert!(Operator::parse("StringEqualsIgnorecase").is_none());
        assert!(Operator::parse("NullIfExists").is_none());
        assert_eq!(date("2026-01-01"), Some(1_767_225_600));
        assert!(arn_match(
            "arn:aws:iam::*:role/app-*",
            "arn:aws:iam::111122223333:role/app-x"
        ));
        assert!(!arn_match(
            "arn:aws:iam::*:role/app-*",
            "arn:aws:iam::111122223333:user/app-x"
        ));
    }
}

//! Helpers shared by the rules.

pub(crate) use jobzero_core::words::listing;
use std::collections::BTreeSet;

use crate::catalogue::CATALOGUE;
use crate::document::{At, Effect, Policy, Statement};
use crate::glob::matches;

/// The actions (`svc:Name`, catalogue spelling) a statement's `Action`/`NotAction` covers.
pub fn statement_actions(s: &Statement) -> BTreeSet<String> {
    match (&s.action, &s.not_action) {
        (Some(a), _) => a.iter().flat_map(|p| CATALOGUE.expand(&p.value)).collect(),
        (None, Some(na)) => CATALOGUE
            .all_actions()
            .into_iter()
            .filter(|x| !na.iter().any(|p| matches(&p.value, x)))
            .collect(),
        (None, None) => BTreeSet::new(),
    }
}

/// Whether the statement's resources include `*`.
pub fn any_resource(s: &Statement) -> bool {
    s.resource
        .as_ref()
        .is_some_and(|r| r.iter().any(|x| x.value == "*"))
        || s.not_resource.is_some()
}

/// Whether a statement grants administrator access: every action on every resource, with no
/// condition. `iam/full-admin-access` reports it; narrower rules leave it to that one, so
/// that one statement yields one finding.
pub fn is_full_admin(s: &Statement) -> bool {
    s.effect == Effect::Allow
        && s.action
            .as_ref()
            .is_some_and(|a| a.iter().any(|x| x.value == "*" || x.value == "*:*"))
        && any_resource(s)
        && s.conditions.is_empty()
}

/// Every action value of a statement.
pub fn action_values(s: &Statement) -> impl Iterator<Item = &At<String>> {
    s.action.iter().chain(&s.not_action).flatten()
}

/// Whether a statement has a condition on one of `keys` (lower case).
pub fn has_condition(s: &Statement, keys: &[&str]) -> bool {
    s.conditions
        .iter()
        .any(|c| keys.contains(&c.key.value.to_ascii_lowercase().as_str()))
}

/// Whether the policy allows `action` on every resource (`Resource: "*"`) in some statement
/// and no Deny without conditions refuses it everywhere.
pub fn allows_everywhere(p: &Policy, action: &str) -> bool {
    let covers = |s: &Statement| match (&s.action, &s.not_action) {
        (Some(a), _) => a.iter().any(|x| matches(&x.value, action)),
        (None, Some(na)) => !na.iter().any(|x| matches(&x.value, action)),
        (None, None) => false,
    };
    let allowed = p
        .statements
        .iter()
        .any(|s| s.effect == Effect::Allow && any_resource(s) && covers(s));
    let denied = p.statements.iter().any(|s| {
        s.effect == Effect::Deny && s.conditions.is_empty() && any_resource(s) && covers(s)
    });
    allowed && !denied
}

/// The actions of `list` a statement grants, by a pattern that matches them (`s3:Get*`) or
/// that they match; `*` alone is left to `iam/full-admin-access`.
pub fn granted<'l>(s: &Statement, list: &[&'l str]) -> Vec<&'l str> {
    if s.effect != Effect::Allow {
        return Vec::new();
    }
    list.iter()
        .copied()
        .filter(|wanted| {
            s.action.iter().flatten().any(|a| {
                let a = a.value.trim();
                a != "*" && a != "*:*" && (matches(a, wanted) || matches(wanted, a))
            })
        })
        .collect()
}

/// Whether a condition ties the statement to an account, organisation, network or source
/// (a `*` value ties it to nothing).
pub fn limited(s: &Statement) -> bool {
    s.conditions.iter().any(|c| {
        jobzero_infra::policy::RESTRICTING_KEYS.contains(&c.key.value.to_ascii_lowercase().as_str())
            && !c.values.iter().any(|v| v == "*")
    })
}

//! Checks that hold for every request, or a counterexample: `check-no-public-access`,
//! `check-access-not-granted` and `check-no-new-access`.
//!
//! The decision procedure (see `docs/iam-proofs.md`): a policy's decision depends on a request
//! only through finitely many facts — which of the policy's patterns the action, the resource
//! and each condition key's value match, how numbers, dates and addresses compare with the
//! policy's constants, which keys are present, and who the caller is among the identities the
//! policy names. [`crate::regions`] gives one representative value for every combination of
//! those facts that any value can realise; evaluating the policies (with [`crate::eval`]) on
//! every combination of representatives therefore covers every request. A FAIL comes with the
//! request that fails, re-checked by the evaluator; a PASS holds for all requests; what falls
//! outside this fragment (policy variables, wildcards in identity conditions, too many
//! combinations) is UNKNOWN with the reason, never a PASS.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalogue::CATALOGUE;
use crate::document::{At, Effect, Policy, Principals, is_unknown};
use crate::eval::{Base, Caller, Decision, Operator, Request, SetQualifier, date, evaluate};
use crate::regions::{self, Pattern};

/// The most requests evaluated by one check before it answers UNKNOWN.
pub const MAX_REQUESTS: u64 = 4_000_000;

/// The witness resource when the policy names none in particular (`"Resource": "*"`).
pub const ANY_RESOURCE: &str = "arn:aws:s3:::jobzero-witness/object";

/// The answer of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The property holds for every request.
    Pass,
    /// A request that breaks it.
    Fail(Request),
    /// The policy uses something outside the supported fragment.
    Unknown(String),
}

/// Keys the evaluator derives from the caller; they are never enumerated on their own.
const DERIVED: &[&str] = &[
    "aws:principalaccount",
    "kms:calleraccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:principalisawsservice",
];

/// Condition keys whose values name accounts (their literals join the named accounts).
const ACCOUNT_KEYS: &[&str] = &[
    "aws:principalaccount",
    "kms:calleraccount",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:resourceaccount",
];

/// Keys that tie a request to an organisation, a network or a source.
const ORG_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];
const VPC_KEYS: &[&str] = &["aws:sourcevpc", "aws:sourcevpce", "aws:sourcevpcarn"];

/// What the policies say, gathered once.
#[derive(Debug, Default)]
struct Vocabulary {
    actions: Vec<String>,
    resources: Vec<String>,
    accounts: BTreeSet<String>,
    arns: BTreeSet<String>,
    services: BTreeSet<String>,
    federated: BTreeSet<String>,
    /// `aws:PrincipalArn` patterns with wildcards: the part after the account
    /// (`role/admin-*`), each for one named account or any.
    arn_patterns: Vec<String>,
    /// Per condition key (lower case): its operators and values.
    keys: BTreeMap<String, Vec<(Operator, Vec<String>)>>,
}

fn twelve_digits(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| c.is_ascii_digit())
}

fn account_of(s: &str) -> Option<String> {
    if twelve_digits(s) {
        return Some(s.to_owned());
    }
    s.split(':')
        .nth(4)
        .filter(|a| twelve_digits(a))
        .map(str::to_owned)
}

impl Vocabulary {
    fn gather(policies: &[&Policy]) -> Result<Vocabulary, String> {
        let mut v = Vocabulary::default();
        for p in policies {
            if let Some(problem) = p.problems.first() {
                return Err(format!(
                    "the policy is not valid IAM (line {}: {}), so AWS would refuse it",
                    problem.line, problem.message
                ));
            }
            for s in &p.statements {
                for a in s.action.iter().chain(&s.not_action).flatten() {
                    v.actions.push(a.value.to_ascii_lowercase());
                }
                for r in s.resource.iter().chain(&s.not_resource).flatten() {
                    if has_variable(&r.value) {
                        return Err(format!(
                            "line {}: policy variables in `Resource` (`{}`) are not supported yet",
                            r.line, r.value
                        ));
                    }
                    v.resources.push(r.value.clone());
                }
                for pr in s.principal.iter().chain(&s.not_principal) {
                    if let Principals::Typed(list) = pr {
                        for (ty, ids) in list {
                            for id in ids {
                                let id = id.value.as_str();
                                match ty.as_str() {
                                    "AWS" if id != "*" => {
                                        if let Some(a) = account_of(id) {
                                            v.accounts.insert(a);
                                        }
                                        if id.starts_with("arn:") && !id.ends_with(":root") {
                                            v.arns.insert(id.to_owned());
                                        }
                                    }
                                    "Service" => {
                                        v.services.insert(id.to_owned());
                                    }
                                    "Federated" => {
                                        v.federated.insert(id.to_owned());
                                    }
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                for c in &s.conditions {
                    let Some(op) = Operator::parse(&c.operator.value) else {
                        return Err(format!(
                            "line {}: unknown condition operator `{}`",
                            c.operator.line, c.operator.value
                        ));
                    };
                    let key = c.key.value.to_ascii_lowercase();
                    for value in &c.values {
                        if has_variable(value) {
                            return Err(format!(
                                "line {}: policy variables in condition values (`{value}`) are not supported yet",
                                c.key.line
                            ));
                        }
                    }
                    if DERIVED.contains(&key.as_str()) || key == "aws:principalarn" {
                        for value in &c.values {
                            if key == "aws:principalarn" && value.contains(['*', '?']) {
                                let (account, rest) = principal_arn_pattern(value).ok_or_else(|| {
                                    format!(
                                        "line {}: `{value}` has wildcards outside the account and name of an IAM ARN, which is not supported yet",
                                        c.key.line
                                    )
                                })?;
                                if let Some(a) = account {
                                    v.accounts.insert(a);
                                }
                                v.arn_patterns.push(rest);
                                continue;
                            }
                            if value.contains(['*', '?']) {
                                return Err(format!(
                                    "line {}: wildcards in `{}` are not supported yet",
                                    c.key.line, c.key.value
                                ));
                            }
                            if let Some(a) = account_of(value) {
                                v.accounts.insert(a);
                            }
                            if key == "aws:principalarn" {
                                v.arns.insert(value.clone());
                            }
                            if key == "aws:principalservicename" {
                                v.services.insert(value.clone());
                            }
                        }
                    }
                    if ACCOUNT_KEYS.contains(&key.as_str()) || key == "aws:sourcearn" {
                        for value in &c.values {
                            if let Some(a) = account_of(value) {
                                v.accounts.insert(a);
                            }
                        }
                    }
                    v.keys.entry(key).or_default().push((op, c.values.clone()));
                }
            }
        }
        Ok(v)
    }

    fn orgs(&self) -> BTreeSet<String> {
        ORG_KEYS
            .iter()
            .filter_map(|k| self.keys.get(*k))
            .flatten()
            .flat_map(|(_, vals)| vals.iter().cloned())
            .collect()
    }

    fn values_of(&self, keys: &[&str]) -> BTreeSet<String> {
        keys.iter()
            .filter_map(|k| self.keys.get(*k))
            .flatten()
            .flat_map(|(_, vals)| vals.iter().cloned())
            .collect()
    }
}

/// An `aws:PrincipalArn` pattern with wildcards, as the account it names (none for any)
/// and the pattern of the rest (`role/admin-*`); `None` for a pattern whose wildcards reach
/// into the partition, service or region, or only part of the account. For the ARNs of IAM
/// principals, whose names hold no colon, `StringLike` then agrees with `ArnLike`, which
/// matches field by field.
fn principal_arn_pattern(value: &str) -> Option<(Option<String>, String)> {
    if value == "*" {
        return Some((None, "*".into()));
    }
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let (partition, service, region) = (parts.get(1)?, parts.get(2)?, parts.get(3)?);
    let fixed = |field: &str, allowed: &str| field == allowed || field == "*";
    if parts[0] != "arn" || !fixed(partition, "aws") || !fixed(service, "iam") || !fixed(region, "")
    {
        return None;
    }
    let account = *parts.get(4)?;
    let rest = parts.get(5).copied();
    let account = match account {
        "*" => None,
        a if twelve_digits(a) => Some(a.to_owned()),
        _ => return None,
    };
    match rest {
        Some(r) => Some((account, r.to_owned())),
        // `arn:aws:iam::*` also covers what follows.
        None if account.is_none() => Some((None, "*".into())),
        None => None,
    }
}

fn has_variable(s: &str) -> bool {
    let mut rest = s;
    while let Some(at) = rest.find("${") {
        let inner = &rest[at + 2..];
        if !(inner.starts_with("*}") || inner.starts_with("?}") || inner.starts_with("$}")) {
            return true;
        }
        rest = &inner[1..];
    }
    false
}

/// A fresh 12-digit account the policies do not name.
fn fresh_account(named: &BTreeSet<String>) -> String {
    (0u64..)
        .map(|i| format!("{:012}", 999_988_887_777u64.saturating_sub(i)))
        .find(|a| !named.contains(a))
        .unwrap_or_else(|| "999988887777".into())
}

/// Every dimension's representatives.
struct Space {
    callers: Vec<Caller>,
    actions: Vec<String>,
    resources: Vec<String>,
    keys: Vec<(String, Vec<Option<Vec<String>>>)>,
}

impl Space {
    fn build(
        v: &Vocabulary,
        extra_actions: &[String],
        extra_resources: &[String],
    ) -> Result<Space, String> {
        let fresh = fresh_account(&v.accounts);
        let mut callers = vec![
            Caller::Anonymous,
            Caller::Aws(format!("arn:aws:iam::{fresh}:role/jobzero-witness")),
            Caller::Service("jobzero-witness.amazonaws.com".into()),
            Caller::Federated("jobzero-witness.example.com".into()),
        ];
        for a in &v.accounts {
            callers.push(Caller::Aws(format!(
                "arn:aws:iam::{a}:role/jobzero-witness"
            )));
        }
        callers.extend(v.arns.iter().map(|a| Caller::Aws(a.clone())));
        // With `aws:PrincipalArn` patterns, callers differ by name too: one per account and
        // per region of the names the patterns and principals tell apart.
        if !v.arn_patterns.is_empty() {
            let mut names: Vec<String> = v.arn_patterns.clone();
            names.extend(
                v.arns
                    .iter()
                    .filter_map(|a| a.splitn(6, ':').nth(5).map(str::to_owned)),
            );
            names.push("role/jobzero-witness".into());
            names.sort();
            names.dedup();
            let compiled: Vec<Pattern> = names.iter().map(|n| Pattern::glob(n, false)).collect();
            let reps = regions::strings(&compiled).ok_or("too many distinct principal names")?;
            for account in v.accounts.iter().chain(std::iter::once(&fresh)) {
                for name in &reps {
                    callers.push(Caller::Aws(format!("arn:aws:iam::{account}:{name}")));
                }
            }
        }
        callers.extend(v.services.iter().map(|s| Caller::Service(s.clone())));
        callers.extend(v.federated.iter().map(|f| Caller::Federated(f.clone())));
        callers.sort();
        callers.dedup();
        // Anonymous first: the most telling witness when anyone at all gets in.
        callers.sort_by_key(|c| !matches!(c, Caller::Anonymous));

        // Actions: case-insensitive globs; real actions from the catalogue where one exists.
        let mut action_pats: Vec<String> = v.actions.clone();
        action_pats.extend(extra_actions.iter().map(|a| a.to_ascii_lowercase()));
        action_pats.sort();
        action_pats.dedup();
        let compiled: Vec<Pattern> = action_pats.iter().map(|p| Pattern::glob(p, true)).collect();
        let synthetic = regions::strings(&compiled).ok_or("too many distinct action patterns")?;
        let mut by_vector: BTreeMap<Vec<bool>, String> = BTreeMap::new();
        for a in CATALOGUE.all_actions() {
            let lower = a.to_ascii_lowercase();
            let vec: Vec<bool> = compiled.iter().map(|p| p.matches(&lower)).collect();
            by_vector.entry(vec).or_insert(a);
        }
        for s in synthetic {
            let vec: Vec<bool> = compiled.iter().map(|p| p.matches(&s)).collect();
            by_vector.entry(vec).or_insert(s);
        }
        let actions: Vec<String> = by_vector.into_values().collect();

        let mut res_pats: Vec<String> = v.resources.clone();
        res_pats.extend(extra_resources.iter().cloned());
        res_pats.sort();
        res_pats.dedup();
        let compiled: Vec<Pattern> = res_pats
            .iter()
            .filter(|p| p.as_str() != "*")
            .map(|p| Pattern::glob(p, false))
            .collect();
        let mut resources =
            regions::strings(&compiled).ok_or("too many distinct resource patterns")?;
        // A real-looking ARN for the region that matches nothing named.
        resources.retain(|r| !r.is_empty());
        resources.push(ANY_RESOURCE.into());
        resources.sort();
        resources.dedup();

        let mut keys = Vec::new();
        for (key, uses) in &v.keys {
            if DERIVED.contains(&key.as_str()) {
                continue;
            }
            let values =
                key_values(uses).ok_or_else(|| format!("too many distinct values for `{key}`"))?;
            let multi = uses.iter().any(|(op, _)| op.set.is_some());
            let mut reps: Vec<Option<Vec<String>>> = vec![None];
            if multi {
                if values.len() > 6 {
                    return Err(format!(
                        "`{key}` is a multi-valued key with {} distinct kinds of value; at most 6 are supported",
                        values.len()
                    ));
                }
                for mask in 1u32..(1 << values.len()) {
                    let set: Vec<String> = values
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, v)| v.clone())
                        .collect();
                    reps.push(Some(set));
                }
            } else {
                reps.extend(values.into_iter().map(|x| Some(vec![x])));
            }
            keys.push((key.clone(), reps));
        }
        Ok(Space {
            callers,
            actions,
            resources,
            keys,
        })
    }

    fn size(&self) -> u64 {
        let mut n = (self.callers.len() as u64)
            .saturating_mul(self.actions.len() as u64)
            .saturating_mul(self.resources.len() as u64);
        for (_, reps) in &self.keys {
            n = n.saturating_mul(reps.len() as u64);
        }
        n
    }

    /// Calls `f` on every request of the space until it returns true; that request.
    fn find(&self, mut f: impl FnMut(&Request) -> bool) -> Option<Request> {
        let mut idx = vec![0usize; self.keys.len()];
        loop {
            let mut context: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for ((key, reps), &i) in self.keys.iter().zip(&idx) {
                if let Some(Some(vals)) = reps.get(i) {
                    context.insert(key.clone(), vals.clone());
                }
            }
            for caller in self.callers.iter().filter(|c| consistent(c, &context)) {
                for action in &self.actions {
                    for resource in &self.resources {
                        let r = Request::new(caller.clone(), action, resource, context.clone());
                        if f(&r) {
                            return Some(r);
                        }
                    }
                }
            }
            // Next combination of key values (an odometer).
            let mut k = 0;
            loop {
                if k == idx.len() {
                    return None;
                }
                idx[k] += 1;
                if idx[k] < self.keys[k].1.len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
        }
    }
}

/// Keys AWS sets only when an AWS service calls on behalf of a resource.
const SERVICE_SOURCE_KEYS: &[&str] = &[
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];
/// Keys AWS sets only for IAM principals.
const PRINCIPAL_ORG_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principaltag",
    "aws:userid",
    "aws:username",
];

/// Whether a context could accompany a request from `caller`: service-source keys come only
/// with a service's request, organisation keys only with an IAM principal's.
fn consistent(caller: &Caller, context: &BTreeMap<String, Vec<String>>) -> bool {
    let has = |keys: &[&str]| {
        context.keys().any(|k| {
            keys.iter()
                .any(|p| k == p || k.starts_with(&format!("{p}/")))
        })
    };
    match caller {
        Caller::Service(_) => !has(PRINCIPAL_ORG_KEYS),
        Caller::Aws(_) => !has(SERVICE_SOURCE_KEYS),
        Caller::Anonymous | Caller::Federated(_) => {
            !has(SERVICE_SOURCE_KEYS) && !has(PRINCIPAL_ORG_KEYS)
        }
    }
}

/// The representative values of one condition key, from every operator it is used with.
fn key_values(uses: &[(Operator, Vec<String>)]) -> Option<Vec<String>> {
    let mut strings_pats: Vec<Pattern> = Vec::new();
    let mut numbers: Vec<f64> = Vec::new();
    let mut dates_: Vec<i64> = Vec::new();
    let mut cidrs: Vec<String> = Vec::new();
    let mut out: BTreeSet<String> = BTreeSet::new();
    for (op, values) in uses {
        for v in values {
            match op.base {
                Base::String {
                    ignore_case, like, ..
                } => strings_pats.push(if like {
                    Pattern::glob(v, false)
                } else {
                    Pattern::literal(v, ignore_case)
                }),
                Base::Arn { .. } => strings_pats.push(Pattern::arn(v)),
                Base::Numeric { .. } => numbers.extend(v.trim().parse::<f64>().ok()),
                Base::Date { .. } => dates_.extend(date(v)),
                Base::Ip { .. } => cidrs.push(v.clone()),
                Base::Bool => {
                    out.insert("true".into());
                    out.insert("false".into());
                    out.insert("other".into());
                }
                Base::Binary => strings_pats.push(Pattern::literal(v, false)),
                Base::Null => {
                    out.insert("present".into());
                }
            }
        }
        if matches!(op.base, Base::Numeric { .. }) {
            out.extend(regions::numbers(&numbers));
        }
    }
    if !strings_pats.is_empty() {
        out.extend(regions::strings(&strings_pats)?);
    }
    if !numbers.is_empty() {
        out.extend(regions::numbers(&numbers));
    }
    if !dates_.is_empty() {
        out.extend(regions::dates(&dates_));
    }
    if !cidrs.is_empty() {
        out.extend(regions::addresses(&cidrs));
    }
    if out.is_empty() {
        out.insert("jobzero-witness".into());
    }
    Some(out.into_iter().collect())
}

fn run(
    policies: &[&Policy],
    extra_actions: &[String],
    extra_resources: &[String],
    f: impl FnMut(&Request) -> bool,
) -> Verdict {
    run_with_accounts(policies, extra_actions, extra_resources, &[], f)
}

/// [`run`], with callers of `extra_accounts` among the representatives (and the fresh
/// account none of them).
fn run_with_accounts(
    policies: &[&Policy],
    extra_actions: &[String],
    extra_resources: &[String],
    extra_accounts: &[String],
    f: impl FnMut(&Request) -> bool,
) -> Verdict {
    let mut vocabulary = match Vocabulary::gather(policies) {
        Ok(v) => v,
        Err(reason) => return Verdict::Unknown(reason),
    };
    vocabulary.accounts.extend(extra_accounts.iter().cloned());
    let space = match Space::build(&vocabulary, extra_actions, extra_resources) {
        Ok(s) => s,
        Err(reason) => return Verdict::Unknown(reason),
    };
    if space.size() > MAX_REQUESTS {
        return Verdict::Unknown(format!(
            "the policy distinguishes {} kinds of request, more than the {MAX_REQUESTS} this check explores",
            space.size()
        ));
    }
    match space.find(f) {
        Some(r) => Verdict::Fail(r),
        None => Verdict::Pass,
    }
}

/// The zone of trust a policy names: its accounts, organisations, VPCs and VPC endpoints,
/// and address ranges narrower than a /8 (as S3 Block Public Access counts them).
#[derive(Debug, Clone, Default)]
pub struct Zone {
    /// Accounts named anywhere (principals, account and source conditions).
    pub accounts: BTreeSet<String>,
    /// Organisation ids and paths named in conditions.
    pub orgs: BTreeSet<String>,
    /// VPC and VPC endpoint ids named in conditions.
    pub vpcs: BTreeSet<String>,
    /// Source address ranges named in conditions, /8 or narrower.
    pub narrow_cidrs: Vec<ipnet::IpNet>,
}

impl Zone {
    /// The zone `policy` names, or why it cannot be read.
    pub fn of(policy: &Policy) -> Result<Zone, String> {
        let v = Vocabulary::gather(&[policy])?;
        let narrow_cidrs = v
            .values_of(&["aws:sourceip"])
            .iter()
            .filter_map(|c| {
                c.parse::<ipnet::IpNet>()
                    .ok()
                    .or_else(|| c.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from))
            })
            .filter(|n| match n {
                ipnet::IpNet::V4(n) => n.prefix_len() >= 8,
                ipnet::IpNet::V6(n) => n.prefix_len() >= 32,
            })
            .collect();
        Ok(Zone {
            orgs: v.orgs(),
            vpcs: v.values_of(VPC_KEYS),
            accounts: v.accounts,
            narrow_cidrs,
        })
    }
}

/// Whether a request comes from outside the zone of trust: not one of its accounts (or
/// organisations), not through one of its networks, and, for an AWS service, not on behalf
/// of one of its accounts.
pub fn is_public(r: &Request, zone: &Zone) -> bool {
    let (named_accounts, named_orgs, named_vpcs, narrow_cidrs) =
        (&zone.accounts, &zone.orgs, &zone.vpcs, &zone.narrow_cidrs);
    let has = |key: &str, set: &BTreeSet<String>| {
        r.context
            .get(key)
            .is_some_and(|vals| vals.iter().any(|v| set.contains(v)))
    };
    let account_named = |key: &str| {
        r.context.get(key).is_some_and(|vals| {
            vals.iter()
                .any(|v| account_of(v).is_some_and(|a| named_accounts.contains(&a)))
        })
    };
    let outside = match &r.caller {
        Caller::Anonymous => true,
        Caller::Aws(_) => r
            .caller
            .account()
            .is_none_or(|a| !named_accounts.contains(a)),
        Caller::Service(_) => {
            !(account_named("aws:sourceaccount")
                || account_named("aws:sourcearn")
                || account_named("aws:sourceowner"))
        }
        // Federated identities come through an identity provider the account configured.
        Caller::Federated(_) => false,
    };
    if !outside {
        return false;
    }
    if ORG_KEYS.iter().any(|k| has(k, named_orgs)) || VPC_KEYS.iter().any(|k| has(k, named_vpcs)) {
        return false;
    }
    let from_named_range = r.context.get("aws:sourceip").is_some_and(|ips| {
        ips.iter().any(|ip| {
            ip.parse::<std::net::IpAddr>()
                .is_ok_and(|a| narrow_cidrs.iter().any(|n| n.contains(&a)))
        })
    });
    !from_named_range
}

/// How a check may treat the parts of a policy known only at deploy time.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unknowns {
    /// None may be present (the reference of `check-no-new-access`: more access in it
    /// could hide new access).
    Refuse,
    /// Allow statements with unknowns may be left out: what remains grants less, so a
    /// FAIL found without them is real, and a PASS is not a proof.
    DropAllows,
    /// As [`Unknowns::DropAllows`], but an unknown `Resource` of an Allow is kept as the
    /// literal it is written as, when the property does not look at resources and no Deny
    /// could match the real value (public access: who gets in does not depend on which
    /// resource a grant names).
    KeepResources,
}

/// The part of `policy` a check can decide, and why it is only a part (a PASS over it is
/// then UNKNOWN); or why nothing can be decided.
fn known_part(policy: &Policy, mode: Unknowns) -> Result<(Policy, Option<String>), String> {
    if let Some(o) = policy.opaque.first() {
        return Err(format!(
            "line {}: statements known only at deploy time (`{}`)",
            o.line, o.value
        ));
    }
    let strings = |l: &Option<Vec<At<String>>>| -> Option<(u32, String)> {
        l.iter()
            .flatten()
            .find(|v| is_unknown(&v.value))
            .map(|v| (v.line, v.value.clone()))
    };
    let principals = |p: &Option<Principals>| -> Option<(u32, String)> {
        match p {
            Some(Principals::Typed(list)) => list
                .iter()
                .flat_map(|(_, ids)| ids)
                .find(|v| is_unknown(&v.value))
                .map(|v| (v.line, v.value.clone())),
            _ => None,
        }
    };
    let has_deny = policy.statements.iter().any(|s| s.effect == Effect::Deny);
    let mut kept = Policy {
        statements: Vec::new(),
        ..policy.clone()
    };
    let mut dropped = None;
    for s in &policy.statements {
        let grant = principals(&s.principal)
            .or_else(|| principals(&s.not_principal))
            .or_else(|| strings(&s.action))
            .or_else(|| strings(&s.not_action))
            .or_else(|| strings(&s.not_resource))
            .or_else(|| {
                s.conditions
                    .iter()
                    .find(|c| {
                        is_unknown(&c.operator.value)
                            || is_unknown(&c.key.value)
                            || c.values.iter().any(|v| is_unknown(v))
                    })
                    .map(|c| (c.key.line, c.key.value.clone()))
            });
        let resource = strings(&s.resource);
        let uncertain = match (grant, resource) {
            (Some(u), _) => Some(u),
            (None, Some(u)) if mode != Unknowns::KeepResources || has_deny => Some(u),
            _ => None,
        };
        match uncertain {
            None => kept.statements.push(s.clone()),
            Some((line, value)) => {
                if s.effect == Effect::Deny || mode == Unknowns::Refuse {
                    return Err(format!(
                        "line {line}: `{value}` is known only at deploy time"
                    ));
                }
                dropped.get_or_insert(format!(
                    "line {line}: `{value}` is known only at deploy time, and what the rest of the policy allows does not reach outside"
                ));
            }
        }
    }
    Ok((kept, dropped))
}

/// A verdict over part of a policy: a PASS there says nothing of the whole.
fn partial(v: Verdict, dropped: Option<String>) -> Verdict {
    match (v, dropped) {
        (Verdict::Pass, Some(reason)) => Verdict::Unknown(reason),
        (v, _) => v,
    }
}

/// The zone of trust given from outside the policy: the accounts and organisations that own
/// the resource (`jobzero iam check-no-public-access --account --org`). Empty parts fall back
/// to what the policy names.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    /// 12-digit account ids.
    pub accounts: Vec<String>,
    /// Organisation ids (`o-...`) or paths.
    pub orgs: Vec<String>,
}

/// `check-no-public-access`: no request from outside the policy's zone of trust is allowed.
pub fn check_no_public_access(policy: &Policy) -> Verdict {
    check_no_public_access_within(policy, &Trust::default())
}

/// `check-no-public-access` with the zone of trust `trust`: with accounts given, a grant to
/// any other account is outside (IAM Access Analyzer's external access), however the policy
/// names it.
pub fn check_no_public_access_within(policy: &Policy, trust: &Trust) -> Verdict {
    // An identity policy (no statement names a principal) grants to the identity it is
    // attached to, never to anyone else.
    if !policy.statements.is_empty()
        && policy.opaque.is_empty()
        && policy.problems.is_empty()
        && policy
            .statements
            .iter()
            .all(|s| s.principal.is_none() && s.not_principal.is_none())
    {
        return Verdict::Pass;
    }
    let (policy, dropped) = match known_part(policy, Unknowns::KeepResources) {
        Ok(k) => k,
        Err(reason) => return Verdict::Unknown(reason),
    };
    let mut zone = match Zone::of(&policy) {
        Ok(z) => z,
        Err(reason) => return Verdict::Unknown(reason),
    };
    if !trust.accounts.is_empty() {
        zone.accounts = trust.accounts.iter().cloned().collect();
    }
    if !trust.orgs.is_empty() {
        zone.orgs = trust.orgs.iter().cloned().collect();
    }
    let v = run_with_accounts(&[&policy], &[], &[], &trust.accounts, |r| {
        evaluate(&[&policy], r).decision == Decision::Allow && is_public(r, &zone)
    });
    partial(v, dropped)
}

/// `check-access-not-granted`: no request for one of `actions` (patterns allowed) on one of
/// `resources` (any resource when empty) is allowed.
pub fn check_access_not_granted(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
) -> Verdict {
    let (policy, dropped) = match known_part(policy, Unknowns::DropAllows) {
        Ok(k) => k,
        Err(reason) => return Verdict::Unknown(reason),
    };
    let action_pats: Vec<Pattern> = actions.iter().map(|a| Pattern::glob(a, true)).collect();
    let resource_pats: Vec<Pattern> = resources.iter().map(|r| Pattern::glob(r, false)).collect();
    let v = run(&[&policy], actions, resources, |r| {
        action_pats
            .iter()
            .any(|p| p.matches(&r.action.to_ascii_lowercase()))
            && (resource_pats.is_empty() || resource_pats.iter().any(|p| p.matches(&r.resource)))
            && evaluate(&[&policy], r).decision == Decision::Allow
    });
    partial(v, dropped)
}

/// `check-no-new-access`: every request `new` allows, `reference` allows too.
pub fn check_no_new_access(reference: &Policy, new: &Policy) -> Verdict {
    let (reference, _) = match known_part(reference, Unknowns::Refuse) {
        Ok(k) => k,
        Err(reason) => return Verdict::Unknown(format!("in the reference policy, {reason}")),
    };
    let (new, dropped) = match known_part(new, Unknowns::DropAllows) {
        Ok(k) => k,
        Err(reason) => return Verdict::Unknown(reason),
    };
    let v = run(&[&reference, &new], &[], &[], |r| {
        evaluate(&[&new], r).decision == Decision::Allow
            && evaluate(&[&reference], r).decision != Decision::Allow
    });
    partial(v, dropped)
}

/// The set qualifier of an operator, for callers that describe witnesses.
pub fn is_multi(op: &Operator) -> bool {
    matches!(
        op.set,
        Some(SetQualifier::AllValues | SetQualifier::AnyValue)
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn p(json: &str) -> Policy {
        let p = Policy::parse(json).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        p
    }

    #[test]
    fn a_public_bucket_policy_fails_with_a_confirmed_witness() {
        let pol = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"}]}"#,
        );
        match check_no_public_access(&pol) {
            Verdict::Fail(r) => {
                assert_eq!(evaluate(&[&pol], &r).decision, Decision::Allow);
                assert_eq!(r.action, "s3:GetObject");
                assert!(r.resource.starts_with("arn:aws:s3:::site/"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn org_vpce_account_and_ip_restrictions_pass() {
        for cond in [
            r#"{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}"#,
            r#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b"}}"#,
            r#"{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
        ] {
            let pol = p(&format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":"s3:*","Resource":"*","Condition":{cond}}}]}}"#
            ));
            assert_eq!(check_no_public_access(&pol), Verdict::Pass, "{cond}");
        }
        // A negated condition does not restrict: anyone not in that org is allowed.
        let pol = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}"#,
        );
        assert!(matches!(check_no_public_access(&pol), Verdict::Fail(_)));
    }

    #[test]
    fn a_deny_that_covers_the_allow_passes() {
        let pol = p(r#"{"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"},
          {"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}}]}"#);
        // Services acting for the named account only; others are denied.
        assert_eq!(check_no_public_access(&pol), Verdict::Pass);
    }

    #[test]
    fn kms_caller_account_follows_the_caller() {
        let pol = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Decrypt"],"Resource":"*",
          "Condition":{"StringEquals":{"kms:CallerAccount":"123456789012","kms:ViaService":"s3.eu-west-1.amazonaws.com"}}}]}"#,
        );
        assert_eq!(check_no_public_access(&pol), Verdict::Pass);
    }

    #[test]
    fn service_principals_without_a_source_are_public() {
        let open = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*"}]}"#,
        );
        assert!(matches!(check_no_public_access(&open), Verdict::Fail(_)));
        let scoped = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"*","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:111122223333:topic"}}}]}"#,
        );
        assert_eq!(check_no_public_access(&scoped), Verdict::Pass);
    }

    #[test]
    fn access_not_granted_and_no_new_access() {
        let pol = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}"#,
        );
        assert_eq!(
            check_access_not_granted(&pol, &["s3:PutObject".into()], &[]),
            Verdict::Pass
        );
        assert!(matches!(
            check_access_not_granted(&pol, &["s3:GetObject".into()], &["arn:aws:s3:::b/*".into()]),
            Verdict::Fail(_)
        ));
        let wider = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Put*"],"Resource":"*"}]}"#,
        );
        match check_no_new_access(&pol, &wider) {
            Verdict::Fail(r) => {
                assert!(r.action.to_ascii_lowercase().starts_with("s3:put"), "{r:?}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(check_no_new_access(&wider, &pol), Verdict::Pass);
    }

    #[test]
    fn unsupported_fragments_are_unknown_never_pass() {
        let pol = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}"#,
        );
        assert!(matches!(check_no_public_access(&pol), Verdict::Unknown(_)));
        let pol = p(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:sts::*:assumed-role/x/*"}}}]}"#,
        );
        assert!(matches!(check_no_public_access(&pol), Verdict::Unknown(_)));
    }

    #[test]
    fn values_known_only_at_deploy_time_never_make_a_pass() {
        // An Allow whose principal only a deployment knows is left out: a FAIL found
        // without it is real, a PASS is not a proof.
        let with_public = p(r#"{"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "\u2039var.reader\u203a"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "\u2039aws_s3_bucket.b.arn\u203a/*"}]}"#);
        let Verdict::Fail(r) = check_no_public_access(&with_public) else {
            panic!("expected a FAIL");
        };
        assert!(r.resource.starts_with('\u{2039}'), "{r:?}");
        let only_unknown = p(r#"{"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "\u2039var.reader\u203a"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#);
        assert!(
            matches!(check_no_public_access(&only_unknown), Verdict::Unknown(why) if why.contains("var.reader"))
        );
        // A Deny that cannot be read could refuse anything.
        let deny = p(r#"{"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:SourceVpce": "\u2039var.vpce\u203a"}}}]}"#);
        assert!(matches!(check_no_public_access(&deny), Verdict::Unknown(_)));
        // Which resource an unknown ARN is matters to the other checks.
        let grant = p(
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "\u2039aws_s3_bucket.b.arn\u203a/*"}]}"#,
        );
        assert!(matches!(
            check_access_not_granted(
                &grant,
                &["s3:GetObject".into()],
                &["arn:aws:s3:::secret/*".into()]
            ),
            Verdict::Unknown(_)
        ));
        let known = p(
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
        );
        assert!(
            matches!(check_no_new_access(&grant, &known), Verdict::Unknown(why) if why.contains("reference"))
        );
        assert!(matches!(
            check_no_new_access(&known, &grant),
            Verdict::Unknown(_)
        ));
        let opaque = Policy {
            opaque: vec![At {
                value: "\u{2039}local.statements\u{203a}".into(),
                line: 3,
                column: 5,
            }],
            ..Policy::default()
        };
        assert!(
            matches!(check_no_public_access(&opaque), Verdict::Unknown(why) if why.contains("line 3"))
        );
    }

    #[test]
    fn principal_arn_patterns_name_the_account_or_let_anyone_in() {
        let own = p(
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/reader-*"}}}]}"#,
        );
        assert_eq!(check_no_public_access(&own), Verdict::Pass);
        let any_account = p(
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/reader-*"}}}]}"#,
        );
        let Verdict::Fail(w) = check_no_public_access(&any_account) else {
            panic!("any account's reader role gets in");
        };
        assert!(w.caller.id().contains(":role/reader-"), "{w:?}");
        assert_ne!(w.caller.account(), Some("111122223333"));
        let partial = p(
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::1111*:role/x"}}}]}"#,
        );
        assert!(matches!(
            check_no_public_access(&partial),
            Verdict::Unknown(_)
        ));
    }

    #[test]
    fn with_the_owner_accounts_given_a_grant_to_another_account_is_outside() {
        let partner = p(r#"{"Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:role/reader"},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#);
        assert_eq!(check_no_public_access(&partner), Verdict::Pass);
        let ours = Trust {
            accounts: vec!["111122223333".into()],
            orgs: Vec::new(),
        };
        let Verdict::Fail(w) = check_no_public_access_within(&partner, &ours) else {
            panic!("the partner account is outside the owner's");
        };
        assert_eq!(w.caller.account(), Some("444455556666"));
        let own = p(r#"{"Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#);
        assert_eq!(check_no_public_access_within(&own, &ours), Verdict::Pass);
        let other_org = p(r#"{"Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-theirs"}}}]}"#);
        assert_eq!(check_no_public_access(&other_org), Verdict::Pass);
        let our_org = Trust {
            accounts: Vec::new(),
            orgs: vec!["o-ours".into()],
        };
        assert!(matches!(
            check_no_public_access_within(&other_org, &our_org),
            Verdict::Fail(_)
        ));
    }
}

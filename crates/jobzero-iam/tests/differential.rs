//! The proofs against brute force: random policies over a small vocabulary, every request of
//! a finite universe evaluated one by one. A check may never PASS when brute force finds a
//! counterexample, and every FAIL's witness must be confirmed by the evaluator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use jobzero_iam::proof::{
    Verdict, Zone, check_access_not_granted, check_no_new_access, check_no_public_access, is_public,
};
use jobzero_iam::{Caller, Decision, Policy, Request, evaluate};

/// A small deterministic generator (xorshift64*), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const PRINCIPALS: &[&str] = &[
    r#""*""#,
    r#"{"AWS": "*"}"#,
    r#"{"AWS": "111122223333"}"#,
    r#"{"AWS": "arn:aws:iam::444455556666:role/app"}"#,
    r#"{"Service": "sns.amazonaws.com"}"#,
];
const ACTIONS: &[&str] = &[
    "s3:*",
    "s3:Get*",
    "s3:?utObject",
    "s3:GetObject",
    "sqs:SendMessage",
    "*",
    "iam:PassRole",
    "s3:List*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::c/k",
    "arn:aws:s3:::*/k",
    "arn:aws:s3:::b/x/*",
];
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("StringEquals", "aws:PrincipalOrgID", r#""o-1""#),
    ("StringNotEquals", "aws:PrincipalOrgID", r#""o-1""#),
    (
        "IpAddress",
        "aws:SourceIp",
        r#"["10.0.0.0/8", "192.0.2.0/24"]"#,
    ),
    ("NotIpAddress", "aws:SourceIp", r#""192.0.2.0/24""#),
    ("StringEquals", "aws:SourceVpce", r#""vpce-1""#),
    ("StringNotEquals", "aws:SourceVpce", r#""vpce-1""#),
    ("StringEquals", "aws:SourceAccount", r#""111122223333""#),
    ("StringNotEquals", "aws:SourceAccount", r#""111122223333""#),
    ("Bool", "aws:SecureTransport", r#""true""#),
    ("Bool", "aws:SecureTransport", r#""false""#),
    ("StringLike", "s3:prefix", r#"["home/*", "docs/?"]"#),
    ("StringNotLike", "s3:prefix", r#""home/*""#),
    ("NumericLessThan", "s3:max-keys", r#""10""#),
    ("Null", "aws:SourceIp", r#""true""#),
    ("Null", "aws:SourceIp", r#""false""#),
    (
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        r#"["env", "team"]"#,
    ),
    (
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        r#"["env", "team"]"#,
    ),
    (
        "ArnLike",
        "aws:PrincipalArn",
        r#""arn:aws:iam::111122223333:role/*""#,
    ),
    (
        "ArnNotLike",
        "aws:PrincipalArn",
        r#""arn:aws:iam::*:role/app""#,
    ),
    (
        "StringLike",
        "aws:PrincipalArn",
        r#"["arn:aws:iam::444455556666:*", "arn:aws:iam::*:user/a?ice"]"#,
    ),
    (
        "ArnEquals",
        "aws:PrincipalArn",
        r#""arn:aws:iam::777788889999:role/other""#,
    ),
];

fn list(rng: &mut Rng, from: &[&str]) -> String {
    let n = 1 + rng.below(2);
    let items: Vec<String> = (0..n).map(|_| format!("\"{}\"", rng.pick(from))).collect();
    format!("[{}]", items.join(", "))
}

fn statement(rng: &mut Rng, with_principal: bool) -> String {
    let effect = if rng.chance(70) { "Allow" } else { "Deny" };
    let mut parts = vec![format!("\"Effect\": \"{effect}\"")];
    if with_principal {
        let key = if effect == "Deny" && rng.chance(15) {
            "NotPrincipal"
        } else {
            "Principal"
        };
        parts.push(format!("\"{key}\": {}", rng.pick(PRINCIPALS)));
    }
    let akey = if rng.chance(15) {
        "NotAction"
    } else {
        "Action"
    };
    parts.push(format!("\"{akey}\": {}", list(rng, ACTIONS)));
    let rkey = if rng.chance(10) {
        "NotResource"
    } else {
        "Resource"
    };
    parts.push(format!("\"{rkey}\": {}", list(rng, RESOURCES)));
    let n = rng.below(3);
    if n > 0 {
        let mut blocks: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for _ in 0..n {
            let (op, key, val) = CONDITIONS[rng.below(CONDITIONS.len())];
            let op = if rng.chance(20) && op != "Null" {
                format!("{op}IfExists")
            } else {
                op.to_owned()
            };
            let entry = blocks.entry(op).or_default();
            if !entry.iter().any(|e| e.starts_with(&format!("\"{key}\""))) {
                entry.push(format!("\"{key}\": {val}"));
            }
        }
        let inner: Vec<String> = blocks
            .into_iter()
            .map(|(op, kv)| format!("\"{op}\": {{{}}}", kv.join(", ")))
            .collect();
        parts.push(format!("\"Condition\": {{{}}}", inner.join(", ")));
    }
    format!("{{{}}}", parts.join(", "))
}

fn policy(rng: &mut Rng, with_principal: bool) -> (Policy, String) {
    let n = 1 + rng.below(3);
    let statements: Vec<String> = (0..n).map(|_| statement(rng, with_principal)).collect();
    let text = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}",
        statements.join(", ")
    );
    let p = Policy::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(p.problems.is_empty(), "{:?} in {text}", p.problems);
    (p, text)
}

type KeyValues = Vec<Option<Vec<String>>>;

/// Every request of the finite universe that the policy texts could tell apart.
fn universe(texts: &[&str]) -> Vec<Request> {
    let callers = [
        Caller::Anonymous,
        Caller::parse("arn:aws:iam::111122223333:role/app"),
        Caller::parse("arn:aws:iam::444455556666:role/app"),
        Caller::parse("arn:aws:iam::777788889999:role/other"),
        Caller::parse("arn:aws:iam::111122223333:user/alice"),
        Caller::parse("arn:aws:iam::444455556666:role/ops"),
        Caller::parse("arn:aws:iam::123456789012:user/alice"),
        Caller::parse("sns.amazonaws.com"),
        Caller::parse("lambda.amazonaws.com"),
    ];
    let actions = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "sqs:SendMessage",
        "iam:PassRole",
        "ec2:RunInstances",
    ];
    let resources = [
        "arn:aws:s3:::b/k",
        "arn:aws:s3:::b/x/y",
        "arn:aws:s3:::c/k",
        "arn:aws:s3:::b",
        "arn:aws:s3:::d/k",
    ];
    let all_keys: [(&str, &[&[&str]]); 8] = [
        ("aws:PrincipalOrgID", &[&["o-1"], &["o-2"]]),
        (
            "aws:SourceIp",
            &[&["10.1.2.3"], &["192.0.2.5"], &["203.0.113.9"]],
        ),
        ("aws:SourceVpce", &[&["vpce-1"], &["vpce-2"]]),
        ("aws:SourceAccount", &[&["111122223333"], &["444455556666"]]),
        ("aws:SecureTransport", &[&["true"], &["false"]]),
        (
            "s3:prefix",
            &[&["home/a"], &["docs/x"], &["docs/xy"], &["other"]],
        ),
        (
            "aws:TagKeys",
            &[&["env"], &["env", "team"], &["env", "owner"], &["owner"]],
        ),
        ("s3:max-keys", &[&["5"], &["10"], &["50"]]),
    ];
    let mut keys: Vec<(&str, KeyValues)> = Vec::new();
    for (k, vals) in all_keys {
        if texts.iter().any(|t| t.contains(k)) {
            let mut reps: KeyValues = vec![None];
            reps.extend(
                vals.iter()
                    .map(|v| Some(v.iter().map(|s| (*s).to_owned()).collect())),
            );
            keys.push((k, reps));
        }
    }
    let mut contexts: Vec<BTreeMap<String, Vec<String>>> = vec![BTreeMap::new()];
    for (k, reps) in &keys {
        let mut next = Vec::new();
        for c in &contexts {
            for r in reps {
                let mut c = c.clone();
                if let Some(v) = r {
                    c.insert((*k).to_owned(), v.clone());
                }
                next.push(c);
            }
        }
        contexts = next;
    }
    let mut out = Vec::new();
    for caller in &callers {
        for ctx in &contexts {
            let lower: BTreeSet<String> = ctx.keys().map(|k| k.to_ascii_lowercase()).collect();
            let service_key = lower.contains("aws:sourceaccount");
            let org_key = lower.contains("aws:principalorgid");
            let ok = match caller {
                Caller::Service(_) => !org_key,
                Caller::Aws(_) => !service_key,
                _ => !service_key && !org_key,
            };
            if !ok {
                continue;
            }
            for a in actions {
                for r in resources {
                    out.push(Request::new(caller.clone(), a, r, ctx.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn no_public_access_agrees_with_brute_force() {
    let mut rng = Rng(0x5EED_0001);
    let (mut fails, mut passes) = (0, 0);
    for _ in 0..150 {
        let (p, text) = policy(&mut rng, true);
        let zone = Zone::of(&p).unwrap();
        let brute = universe(&[&text])
            .into_iter()
            .find(|r| evaluate(&[&p], r).decision == Decision::Allow && is_public(r, &zone));
        match check_no_public_access(&p) {
            Verdict::Fail(w) => {
                fails += 1;
                assert_eq!(
                    evaluate(&[&p], &w).decision,
                    Decision::Allow,
                    "witness not allowed: {w:?}\n{text}"
                );
                assert!(is_public(&w, &zone), "witness not public: {w:?}\n{text}");
            }
            Verdict::Pass => {
                passes += 1;
                assert!(
                    brute.is_none(),
                    "PASS but brute force finds {brute:?}\n{text}"
                );
            }
            Verdict::Unknown(why) => {
                panic!("UNKNOWN ({why}) inside the supported fragment:\n{text}")
            }
        }
    }
    assert!(
        fails > 10 && passes > 10,
        "the generator exercises both answers: {fails} fail, {passes} pass"
    );
}

#[test]
fn access_not_granted_agrees_with_brute_force() {
    let mut rng = Rng(0x5EED_0002);
    for _ in 0..120 {
        let (p, text) = policy(&mut rng, false);
        let action = rng
            .pick(&["s3:PutObject", "s3:Get*", "iam:PassRole", "sqs:*"])
            .to_owned();
        let resource = rng
            .pick(&["arn:aws:s3:::b/*", "arn:aws:s3:::c/k"])
            .to_owned();
        let brute = universe(&[&text]).into_iter().find(|r| {
            jobzero_iam::glob::matches(&action, &r.action)
                && jobzero_iam::glob::matches_with(&resource, &r.resource, false)
                && evaluate(&[&p], r).decision == Decision::Allow
        });
        match check_access_not_granted(
            &p,
            std::slice::from_ref(&action),
            std::slice::from_ref(&resource),
        ) {
            Verdict::Fail(w) => {
                assert_eq!(
                    evaluate(&[&p], &w).decision,
                    Decision::Allow,
                    "{w:?}\n{text}"
                );
                assert!(jobzero_iam::glob::matches(&action, &w.action));
            }
            Verdict::Pass => assert!(
                brute.is_none(),
                "PASS but brute force finds {brute:?} for {action} {resource}\n{text}"
            ),
            Verdict::Unknown(why) => panic!("UNKNOWN ({why}):\n{text}"),
        }
    }
}

#[test]
fn no_new_access_agrees_with_brute_force() {
    let mut rng = Rng(0x5EED_0003);
    for _ in 0..100 {
        let (old, old_text) = policy(&mut rng, true);
        let (new, new_text) = policy(&mut rng, true);
        let brute = universe(&[&old_text, &new_text]).into_iter().find(|r| {
            evaluate(&[&new], r).decision == Decision::Allow
                && evaluate(&[&old], r).decision != Decision::Allow
        });
        match check_no_new_access(&old, &new) {
            Verdict::Fail(w) => {
                assert_eq!(evaluate(&[&new], &w).decision, Decision::Allow);
                assert_ne!(evaluate(&[&old], &w).decision, Decision::Allow);
            }
            Verdict::Pass => assert!(
                brute.is_none(),
                "PASS but brute force finds {brute:?}\nold {old_text}\nnew {new_text}"
            ),
            Verdict::Unknown(why) => panic!("UNKNOWN ({why})"),
        }
        // A policy never grants more than itself.
        assert_eq!(check_no_new_access(&new, &new), Verdict::Pass, "{new_text}");
    }
}

use crate::document::is_unknown;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::{Effect, Principals};
use crate::rules::util::has_condition;
use crate::audit::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A role trust policy that lets a whole account (`arn:aws:iam::<id>:root` or the bare
    /// account id) assume the role without `sts:ExternalId`, `aws:PrincipalOrgID` or
    /// `aws:PrincipalArn` conditions.
    ///
    /// ## Why it matters
    /// Every identity of that account that its own administrators allow to call
    /// `sts:AssumeRole` gets in; when the account is a vendor's, any of the vendor's customers
    /// can trick it into using the role for them (the confused deputy) unless an external id
    /// ties the role to you.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}
    /// ```
    ///
    /// ## Remediation
    /// Add `"Condition": {"StringEquals": {"sts:ExternalId": "<the id the vendor gave you>"}}`,
    /// or name the exact role that may assume it.
    ///
    /// ## References
    /// - CWE-441
    /// - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    pub static RULE = {
        id: "iam/trust-cross-account-without-external-id",
        code: "IAM011",
        title: "role trusts a whole account without an external id",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != PolicyKind::Trust {
        return;
    }
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow || has_condition(s, &["sts:externalid", "aws:principalorgid", "aws:principalarn"]) {
            continue;
        }
        let Some(Principals::Typed(list)) = &s.principal else {
            continue;
        };
        for (t, ids) in list {
            for id in ids {
                let v = id.value.as_str();
                let whole = (v.len() == 12 && v.chars().all(|c| c.is_ascii_digit())) || v.ends_with(":root");
                if t == "AWS" && whole && !is_unknown(v) {
                    out.push(cx.at_value(&RULE, id, v).message(format!(
                        "every identity of account `{v}` allowed to assume roles can assume this one, with no `sts:ExternalId`"
                    )));
                }
            }
        }
    }
}

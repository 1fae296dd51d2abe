use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::{Effect, Principals};
use crate::rules::util::has_condition;
use crate::scanner::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A role trust policy that lets any AWS principal (`"*"`, `{"AWS": "*"}`) assume the role
    /// without a condition that limits who (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    /// `aws:PrincipalArn`, `aws:SourceAccount`, `sts:ExternalId`).
    ///
    /// ## Why it matters
    /// Any AWS account in the world can assume the role and act with its permissions.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    /// ```
    ///
    /// ## Remediation
    /// Name the accounts or roles that may assume it, or add an `aws:PrincipalOrgID`
    /// condition for your organisation.
    ///
    /// ## References
    /// - CWE-284
    /// - [IAM roles: trust policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/roles-managingrole-editing-console.html#roles-managingrole_edit-trust-policy)
    pub static RULE = {
        id: "iam/trust-any-principal",
        code: "IAM010",
        title: "role trust policy lets any AWS principal assume the role",
        family: Family::Iam,
        severity: Severity::Critical,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

const LIMITING: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "sts:externalid",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != PolicyKind::Trust {
        return;
    }
    for s in &cx.policy.statements {
        let anyone = match &s.principal {
            Some(Principals::Anyone) => true,
            Some(Principals::Typed(list)) => list
                .iter()
                .any(|(t, ids)| t == "AWS" && ids.iter().any(|i| i.value == "*")),
            None => false,
        };
        if s.effect == Effect::Allow && anyone && !has_condition(s, LIMITING) {
            out.push(cx.at_statement(&RULE, s, "trust *").message(
                "any AWS principal in any account can assume this role".to_owned(),
            ));
        }
    }
}

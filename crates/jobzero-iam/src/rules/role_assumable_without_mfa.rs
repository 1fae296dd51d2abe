use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::{Effect, Principals, is_unknown};
use crate::glob::matches;
use crate::rules::util::{has_condition, listing};
use crate::audit::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A role trust policy (`assume_role_policy` of `aws_iam_role`,
    /// `AssumeRolePolicyDocument` of CloudFormation `AWS::IAM::Role`) that lets IAM users or
    /// whole accounts (`arn:aws:iam::<account>:root`, `arn:aws:iam::<account>:user/...`)
    /// assume the role with `sts:AssumeRole` without requiring MFA
    /// (`aws:MultiFactorAuthPresent` or `aws:MultiFactorAuthAge`). Statements with an
    /// `sts:ExternalId` condition (machine access by a third party) and service, federated
    /// and role principals are not reported.
    ///
    /// ## Why it matters
    /// People reach such roles with long-term user credentials; without an MFA condition a
    /// stolen password or access key is enough to assume the role and everything it can do.
    ///
    /// ## Example
    /// ```yaml
    /// AssumeRolePolicyDocument:
    ///   Statement:
    ///     - Effect: Allow
    ///       Principal:
    ///         AWS: arn:aws:iam::111122223333:user/alice
    ///       Action: sts:AssumeRole
    /// ```
    ///
    /// ## Remediation
    /// Add `"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}` to the statement,
    /// or move people to IAM Identity Center, which enforces MFA at sign-in.
    ///
    /// ## References
    /// - CWE-308
    /// - [AWS: configuring MFA-protected API access](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html)
    pub static RULE = {
        id: "iam/role-assumable-without-mfa",
        code: "IAM022",
        title: "a role can be assumed by users without MFA",
        family: Family::Iam,
        severity: Severity::Low,
        confidence: Confidence::Low,
        expectation: &expectation::MFA,
    }
}

/// Conditions that require MFA, or mark third-party machine access.
const EXEMPT: &[&str] = &[
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "sts:externalid",
];

/// Whether a principal identifier names people: IAM users, or whole accounts.
fn human(id: &str) -> bool {
    jobzero_core::config::is_account_id(id)
        || (id.starts_with("arn:") && (id.ends_with(":root") || id.contains(":user/")))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != PolicyKind::Trust {
        return;
    }
    for s in &cx.policy.statements {
        let assumes = s.effect == Effect::Allow
            && s.action
                .iter()
                .flatten()
                .any(|a| matches(&a.value, "sts:AssumeRole"));
        if !assumes || has_condition(s, EXEMPT) {
            continue;
        }
        let Some(Principals::Typed(list)) = &s.principal else {
            continue;
        };
        let people: Vec<&str> = list
            .iter()
            .filter(|(t, _)| t == "AWS")
            .flat_map(|(_, ids)| ids.iter())
            .map(|id| id.value.as_str())
            .filter(|id| human(id) && !is_unknown(id))
            .collect();
        if people.is_empty() {
            continue;
        }
        out.push(
            cx.at_statement(&RULE, s, &format!("without mfa {}", people.join(" ")))
                .message(format!(
                    "the role can be assumed by {} without MFA (no `aws:MultiFactorAuthPresent` condition)",
                    listing(&people)
                )),
        );
    }
}

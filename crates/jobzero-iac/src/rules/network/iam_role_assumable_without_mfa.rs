use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::policy;

use super::common::{account_of, has_condition, listing, trust_policies};

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
        id: "iac/iam-role-assumable-without-mfa",
        code: "IAC102",
        title: "an IAM role can be assumed by users without MFA",
        family: Family::Iac,
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
    account_of(id).is_some() || (id.starts_with("arn:") && id.contains(":user/"))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for d in trust_policies(cx) {
        for st in policy::statements(&d.doc) {
            let assumes = st.allow
                && st
                    .actions
                    .iter()
                    .any(|a| policy::wildcard_match(a, "sts:AssumeRole"));
            if !assumes || has_condition(&st, EXEMPT) {
                continue;
            }
            let people: Vec<&str> = st
                .principals
                .iter()
                .filter(|(t, id)| t == "AWS" && human(id))
                .map(|(_, id)| id.as_str())
                .collect();
            if people.is_empty() {
                continue;
            }
            out.push(
                cx.at(&RULE, d.r, d.node_of(&st))
                    .message(format!(
                        "role `{}` can be assumed by {} without MFA (no `aws:MultiFactorAuthPresent` condition)",
                        d.r.addr,
                        listing(&people)
                    ))
                    .evidence(d.evidence(&st)),
            );
        }
    }
}

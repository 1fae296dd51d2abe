use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::policy::{self, Statement};

use super::common::{account_of, assumes_role, listing, trust_policies};

declare_rule! {
    /// ## What it finds
    /// A role trust policy (`assume_role_policy` of `aws_iam_role`,
    /// `AssumeRolePolicyDocument` of CloudFormation `AWS::IAM::Role`) that lets a whole AWS
    /// account assume the role (principal `arn:aws:iam::<account>:root` or a bare account id,
    /// written literally) with no condition narrowing it down: no `sts:ExternalId`,
    /// `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalArn`, principal tag, or
    /// MFA condition. Account ids built from `aws_caller_identity` or `AWS::AccountId` are
    /// unknown and not reported.
    ///
    /// ## Why it matters
    /// Every principal of that account whose own policies allow `sts:AssumeRole` gets the
    /// role; when the account belongs to a vendor, any of the vendor's customers can make the
    /// vendor assume it for them (the confused deputy problem that the external id solves).
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "vendor" {
    ///   statement {
    ///     actions = ["sts:AssumeRole"]
    ///     principals {
    ///       type        = "AWS"
    ///       identifiers = ["arn:aws:iam::111122223333:root"]
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Trust the specific role of the other account, and require the external id the vendor
    /// gave you (`StringEquals` on `sts:ExternalId`), or limit to your organisation with
    /// `aws:PrincipalOrgID`.
    ///
    /// ## References
    /// - CWE-441
    /// - [AWS: the confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    pub static RULE = {
        id: "iac/iam-role-cross-account-without-external-id",
        code: "IAC101",
        title: "an IAM role trusts a whole account without an external id or condition",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Conditions that narrow down who in the trusted account may assume the role.
const GUARDS: &[&str] = &[
    "sts:externalid",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalarn",
    "aws:principaltype",
    "aws:userid",
    "aws:username",
    "aws:sourceidentity",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
];

fn guarded(st: &Statement<'_>) -> bool {
    st.conditions.iter().any(|c| {
        let key = c.key.to_ascii_lowercase();
        GUARDS.contains(&key.as_str()) || key.starts_with("aws:principaltag/")
    })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for d in trust_policies(cx) {
        for st in policy::statements(&d.doc) {
            if !assumes_role(&st) || guarded(&st) {
                continue;
            }
            let accounts: Vec<&str> = st
                .principals
                .iter()
                .filter(|(t, _)| t == "AWS")
                .filter_map(|(_, id)| account_of(id))
                .collect();
            if accounts.is_empty() {
                continue;
            }
            out.push(
                cx.at(&RULE, d.r, d.node_of(&st))
                    .message(format!(
                        "role `{}` can be assumed by any principal of account{} {} with no `sts:ExternalId` or organisation condition",
                        d.r.addr,
                        if accounts.len() > 1 { "s" } else { "" },
                        listing(&accounts)
                    ))
                    .evidence(d.evidence(&st)),
            );
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::policy;

use super::common::{identity_policies, is_full_wildcard};

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows every action (`*` or `*:*`) on every resource
    /// (`*`): the `policy` of `aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`,
    /// `aws_iam_group_policy` and the `inline_policy` blocks of `aws_iam_role` (a JSON string,
    /// `jsonencode`, or an `aws_iam_policy_document`); CloudFormation `PolicyDocument` of
    /// `AWS::IAM::Policy`, `ManagedPolicy`, `RolePolicy`, `UserPolicy`, `GroupPolicy` and the
    /// `Policies` of `AWS::IAM::Role`, `User` and `Group`.
    ///
    /// ## Why it matters
    /// Whoever holds the identity (a leaked key, a compromised instance or pipeline) controls
    /// the whole account: data, infrastructure, billing, and the audit trail itself.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "deploy" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Grant the actions and resources the task needs (IAM Access Analyzer can generate a
    /// policy from CloudTrail activity); keep administrator access for break-glass roles
    /// assumed with MFA.
    ///
    /// ## References
    /// - CWE-269
    /// - [AWS: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - Checkov CKV_AWS_62, CKV_AWS_63, CKV_AWS_1
    pub static RULE = {
        id: "iac/iam-policy-admin-access",
        code: "IAC095",
        title: "an IAM policy grants full administrative access",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for d in identity_policies(cx) {
        for st in policy::statements(&d.doc) {
            if !st.allow || !st.any_resource() {
                continue;
            }
            let Some(action) = st.actions.iter().find(|a| is_full_wildcard(a)) else {
                continue;
            };
            out.push(
                cx.at(&RULE, d.r, d.node_of(&st))
                    .message(format!(
                        "`{}` allows every action (`{action}`) on every resource (`*`)",
                        d.r.addr
                    ))
                    .evidence(d.evidence(&st)),
            );
        }
    }
}

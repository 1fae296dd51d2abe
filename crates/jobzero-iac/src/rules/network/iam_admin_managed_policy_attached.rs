use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// The AWS managed policy `AdministratorAccess` (or `IAMFullAccess`, which can grant
    /// itself anything) attached to a role, user or group: `policy_arn` of
    /// `aws_iam_role_policy_attachment`, `aws_iam_user_policy_attachment`,
    /// `aws_iam_group_policy_attachment` and `aws_iam_policy_attachment`,
    /// `managed_policy_arns` of `aws_iam_role`, `policy_arns` of
    /// `aws_iam_role_policy_attachments_exclusive`; `ManagedPolicyArns` of CloudFormation
    /// `AWS::IAM::Role`, `User` and `Group`. ARNs are matched in every partition.
    ///
    /// ## Why it matters
    /// The identity can do everything in the account; a workload role with administrator
    /// access turns any compromise of the workload into a compromise of the account.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy_attachment" "ci" {
    ///   role       = aws_iam_role.ci.name
    ///   policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Attach a policy limited to what the identity does; keep administrator access for a
    /// break-glass role assumed by people with MFA.
    ///
    /// ## References
    /// - CWE-269
    /// - [AWS: AWS managed policies for job functions](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html)
    /// - Checkov CKV_AWS_274
    pub static RULE = {
        id: "iac/iam-admin-managed-policy-attached",
        code: "IAC103",
        title: "an identity gets the AdministratorAccess managed policy",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// The managed policies that amount to administrator access.
const ADMIN: &[&str] = &["AdministratorAccess", "IAMFullAccess"];

/// The administrator policy an ARN names.
fn admin_policy(arn: &str) -> Option<&'static str> {
    let (head, name) = arn.trim().rsplit_once(":policy/")?;
    if !head.starts_with("arn:") || !head.ends_with(":iam::aws") {
        return None;
    }
    ADMIN.iter().copied().find(|a| *a == name)
}

fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, n: &Node) {
    for item in n.items().into_iter().chain(n.as_str().map(|_| n)) {
        let Some(arn) = item.as_str() else {
            continue;
        };
        if let Some(policy) = admin_policy(arn) {
            out.push(cx.at(&RULE, r, item).message(format!(
                "`{}` attaches the AWS managed policy `{policy}`, which grants administrator access",
                r.addr
            )));
        }
    }
}

/// The resource types, with the argument that lists or names their managed policies.
const ATTACHMENTS: &[(&[&str], &str)] = &[
    (
        &[
            "aws_iam_role_policy_attachment",
            "aws_iam_user_policy_attachment",
            "aws_iam_group_policy_attachment",
            "aws_iam_policy_attachment",
        ],
        "policy_arn",
    ),
    (&["aws_iam_role"], "managed_policy_arns"),
    (
        &["aws_iam_role_policy_attachments_exclusive"],
        "policy_arns",
    ),
    (
        &["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"],
        "ManagedPolicyArns",
    ),
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for &(types, key) in ATTACHMENTS {
        for r in cx.of(types) {
            if let Some(n) = r.body.get_direct(key) {
                report(cx, out, r, n);
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::non_empty;

declare_rule! {
    /// ## What it finds
    /// Permissions granted to an IAM user directly instead of through a group or role:
    /// `aws_iam_user_policy`, `aws_iam_user_policy_attachment`, `aws_iam_policy_attachment`
    /// with `users`; CloudFormation `AWS::IAM::UserPolicy`, `Policies` or `ManagedPolicyArns`
    /// on `AWS::IAM::User`, `Users` on `AWS::IAM::Policy` or `AWS::IAM::ManagedPolicy`.
    ///
    /// ## Why it matters
    /// Permissions attached user by user drift apart, survive role changes and cannot be
    /// reviewed as a whole; least privilege is only manageable when access comes from a few
    /// groups or roles.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_user_policy_attachment" "alice" {
    ///   user       = aws_iam_user.alice.name
    ///   policy_arn = aws_iam_policy.deploy.arn
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Attach policies to groups (for people) or roles (for workloads), and make users
    /// members of the groups.
    ///
    /// ## References
    /// - CWE-269
    /// - [AWS: manage IAM policies for groups, not users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html)
    /// - Checkov CKV_AWS_40
    pub static RULE = {
        id: "iac/iam-user-direct-policy",
        code: "IAC094",
        title: "an IAM policy is attached directly to a user",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    // Resources that always target one user, with the argument naming it.
    for (rtype, key) in [
        ("aws_iam_user_policy", "user"),
        ("aws_iam_user_policy_attachment", "user"),
        ("AWS::IAM::UserPolicy", "UserName"),
    ] {
        for r in cx.of(&[rtype]) {
            let b = match r.body.get_direct(key) {
                Some(u) => cx.at(&RULE, r, u).message(format!(
                    "`{}` grants permissions directly to IAM user `{u}`",
                    r.addr
                )),
                None => cx.missing(&RULE, r, key).message(format!(
                    "`{}` grants permissions directly to an IAM user",
                    r.addr
                )),
            };
            out.push(b);
        }
    }
    // Resources that may target users, with the argument listing them.
    for (rtype, key) in [
        ("aws_iam_policy_attachment", "users"),
        ("AWS::IAM::Policy", "Users"),
        ("AWS::IAM::ManagedPolicy", "Users"),
        ("AWS::IAM::User", "Policies"),
        ("AWS::IAM::User", "ManagedPolicyArns"),
    ] {
        for r in cx.of(&[rtype]) {
            let Some(n) = r.body.get_direct(key) else {
                continue;
            };
            if !n.is_known() || !non_empty(Some(n)) {
                continue;
            }
            let what = if key == "Policies" || key == "ManagedPolicyArns" {
                format!("IAM user `{}` has policies of its own (`{key}`)", r.addr)
            } else {
                format!(
                    "`{}` attaches a policy directly to IAM users (`{key} = {n}`)",
                    r.addr
                )
            };
            out.push(cx.at(&RULE, r, n).message(what));
        }
    }
}

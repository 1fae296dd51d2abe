use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::policy;

use super::common::{granted, identity_policies, listing};

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows, on every resource (`*`), an IAM action that
    /// lets its holder grant itself more permissions: creating or switching policy versions
    /// (`iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`), attaching or writing
    /// policies (`iam:Attach*Policy`, `iam:Put*Policy`), adding a user to a group, creating
    /// keys or passwords for other users (`iam:CreateAccessKey`, `iam:CreateLoginProfile`,
    /// `iam:UpdateLoginProfile`), rewriting a role's trust (`iam:UpdateAssumeRolePolicy`),
    /// or passing any role to a service (`iam:PassRole`). Patterns count (`iam:*`,
    /// `iam:Put*`); the full wildcard `*` is left to `iam-policy-admin-access`.
    ///
    /// ## Why it matters
    /// These actions are privilege escalation paths: an identity meant to be limited can
    /// attach `AdministratorAccess` to itself, mint keys for an administrator, or hand an
    /// administrator role to a Lambda function or instance it controls.
    ///
    /// ## Example
    /// ```hcl
    /// statement {
    ///   actions   = ["iam:PassRole", "ec2:RunInstances"]
    ///   resources = ["*"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Scope these actions to the exact roles, users and policies the task manages
    /// (`arn:aws:iam::123456789012:role/app-*`), add an `iam:PassedToService` condition to
    /// `iam:PassRole`, and use permissions boundaries for identities that create roles.
    ///
    /// ## References
    /// - CWE-269
    /// - [AWS: granting a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    /// - Checkov CKV_AWS_286, CKV_AWS_110
    pub static RULE = {
        id: "iac/iam-policy-privilege-escalation",
        code: "IAC097",
        title: "an IAM policy allows privilege escalation",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Actions that let an identity raise its own permissions when allowed on every resource.
const ESCALATION: &[&str] = &[
    "iam:AddUserToGroup",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreatePolicyVersion",
    "iam:PassRole",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateLoginProfile",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for d in identity_policies(cx) {
        for st in policy::statements(&d.doc) {
            if !st.any_resource() {
                continue;
            }
            let hit = granted(&st, ESCALATION);
            if hit.is_empty() {
                continue;
            }
            out.push(
                cx.at(&RULE, d.r, d.node_of(&st))
                    .message(format!(
                        "`{}` allows {} on every resource (`*`), a privilege escalation path",
                        d.r.addr,
                        listing(&hit)
                    ))
                    .evidence(d.evidence(&st)),
            );
        }
    }
}

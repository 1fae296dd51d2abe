use std::collections::BTreeMap;

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::rules::util::{allows_everywhere, any_resource};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A policy that lets its holder raise their own privileges, by one of the known paths:
    /// rewriting a policy (`iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`,
    /// `iam:Attach*Policy`, `iam:Put*Policy`), taking over another identity
    /// (`iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`,
    /// `iam:AddUserToGroup`, `iam:UpdateAssumeRolePolicy`), or passing a role to compute it
    /// controls (`iam:PassRole` with `ec2:RunInstances`, `lambda:CreateFunction` and a way to
    /// run it, `cloudformation:CreateStack`, `glue:CreateDevEndpoint`,
    /// `datapipeline:CreatePipeline`, `sagemaker:CreateNotebookInstance`), or running code on
    /// what already has a role (`lambda:UpdateFunctionCode`, `ssm:SendCommand`,
    /// `ssm:StartSession`, `glue:UpdateDevEndpoint`,
    /// `sagemaker:CreatePresignedNotebookInstanceUrl`). Only grants on every resource count.
    ///
    /// ## Why it matters
    /// A least-privilege policy with an escalation path is an administrator policy with extra
    /// steps: whoever steals the identity takes the account.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}
    /// ```
    ///
    /// ## Remediation
    /// Remove the action, or scope it to the resources it is meant for (the roles that may be
    /// passed, the policies that may be edited) with conditions such as
    /// `iam:PassedToService` and permission boundaries.
    ///
    /// ## References
    /// - CWE-269
    /// - [Rhino Security Labs: AWS IAM privilege escalation methods](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    /// - [pathfinding.cloud catalogue of escalation paths](https://pathfinding.cloud)
    pub static RULE = {
        id: "iam/privilege-escalation",
        code: "IAM009",
        title: "policy allows privilege escalation",
        family: Family::Iam,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Escalation paths: a name and the actions that must all be allowed.
const PATHS: &[(&str, &[&str])] = &[
    ("create a new default version of a managed policy", &["iam:CreatePolicyVersion"]),
    ("switch a managed policy to an older, broader version", &["iam:SetDefaultPolicyVersion"]),
    ("attach any managed policy to a user", &["iam:AttachUserPolicy"]),
    ("attach any managed policy to a group", &["iam:AttachGroupPolicy"]),
    ("attach any managed policy to a role", &["iam:AttachRolePolicy"]),
    ("write an inline policy on a user", &["iam:PutUserPolicy"]),
    ("write an inline policy on a group", &["iam:PutGroupPolicy"]),
    ("write an inline policy on a role", &["iam:PutRolePolicy"]),
    ("create access keys for another user", &["iam:CreateAccessKey"]),
    ("set a console password for another user", &["iam:CreateLoginProfile"]),
    ("change another user's console password", &["iam:UpdateLoginProfile"]),
    ("add a user to a privileged group", &["iam:AddUserToGroup"]),
    ("rewrite a role's trust policy and assume it", &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"]),
    ("pass a role to an EC2 instance it launches", &["iam:PassRole", "ec2:RunInstances"]),
    ("pass a role to a Lambda function and invoke it", &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]),
    ("pass a role to a Lambda function triggered by an event source", &["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"]),
    ("pass a role to a CloudFormation stack", &["iam:PassRole", "cloudformation:CreateStack"]),
    ("pass a role to a Glue development endpoint", &["iam:PassRole", "glue:CreateDevEndpoint"]),
    ("take over an existing Glue development endpoint", &["glue:UpdateDevEndpoint"]),
    ("pass a role to a Data Pipeline", &["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"]),
    ("pass a role to a SageMaker notebook", &["iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"]),
    ("open an existing SageMaker notebook and use its role", &["sagemaker:CreatePresignedNotebookInstanceUrl"]),
    ("replace the code of a Lambda function that has a role", &["lambda:UpdateFunctionCode"]),
    ("run commands on instances through SSM", &["ssm:SendCommand"]),
    ("open a shell on instances through SSM", &["ssm:StartSession"]),
    ("pass a role to a CodeBuild project", &["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"]),
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != crate::audit::PolicyKind::Identity {
        return;
    }
    let Some(first) = cx.policy.statements.first() else {
        return;
    };
    // An administrator has nothing to escalate to: `iam/full-admin-access` says it once.
    if cx.policy.statements.iter().any(|s| {
        s.effect == crate::document::Effect::Allow
            && s.conditions.is_empty()
            && any_resource(s)
            && s.action
                .iter()
                .flatten()
                .any(|a| a.value == "*" || a.value == "*:*")
    }) {
        return;
    }
    let mut known: BTreeMap<&str, bool> = BTreeMap::new();
    let open: Vec<&(&str, &[&str])> = PATHS
        .iter()
        .filter(|(_, actions)| {
            actions.iter().all(|a| {
                *known
                    .entry(a)
                    .or_insert_with(|| allows_everywhere(cx.policy, a))
            })
        })
        .collect();
    let Some((_, first_actions)) = open.first() else {
        return;
    };
    // One finding per policy (the fix is one: scope the grants), at the statement that
    // grants the first path's first action, listing the paths.
    let at = cx
        .policy
        .statements
        .iter()
        .find(|s| {
            s.effect == crate::document::Effect::Allow
                && any_resource(s)
                && s.action
                    .iter()
                    .flatten()
                    .any(|x| crate::glob::matches(&x.value, first_actions[0]))
        })
        .unwrap_or(first);
    const SHOWN: usize = 3;
    let listed: Vec<String> = open
        .iter()
        .take(SHOWN)
        .map(|(what, actions)| {
            format!(
                "{what} ({})",
                actions.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" + ")
            )
        })
        .collect();
    let more = match open.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!("; and {n} more"),
    };
    out.push(
        cx.at_statement(&RULE, at, "privilege-escalation").message(format!(
            "the policy opens {} privilege-escalation path(s) on every resource: it can {}{more}",
            open.len(),
            listed.join("; ")
        )),
    );
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::{At, Effect};
use crate::rules::util::{any_resource, is_full_admin};
use crate::audit::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows every action of a service (`s3:*`, `iam:*`)
    /// on every resource (`*`), in the same policies as `iam/full-admin-access` (statements
    /// that allow everything are left to that rule). Wildcards on sensitive services (IAM,
    /// STS, Organizations, KMS, Secrets Manager, SSM, S3, EC2, Lambda, databases, containers,
    /// CloudFormation) are reported at high severity, others at medium.
    ///
    /// ## Why it matters
    /// A service wildcard grants the destructive and administrative actions along with the
    /// ones the task needs: `s3:*` on `*` deletes every bucket and rewrites their policies,
    /// `iam:*` is account takeover.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "app" {
    ///   statement {
    ///     actions   = ["s3:*"]
    ///     resources = ["*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// List the actions the task uses (`s3:GetObject`, `s3:PutObject`) and the resources it
    /// uses them on (`arn:aws:s3:::my-bucket/*`).
    ///
    /// ## References
    /// - CWE-269
    /// - [AWS: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - Checkov CKV2_AWS_40
    pub static RULE = {
        id: "iam/service-wildcard",
        code: "IAM019",
        title: "a policy grants every action of a service on every resource",
        family: Family::Iam,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Services whose every action on every resource is high severity.
const SENSITIVE: &[&str] = &[
    "iam",
    "sts",
    "organizations",
    "kms",
    "secretsmanager",
    "ssm",
    "s3",
    "ec2",
    "lambda",
    "dynamodb",
    "rds",
    "ecr",
    "ecs",
    "eks",
    "cloudformation",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != PolicyKind::Identity {
        return;
    }
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow || !any_resource(s) || is_full_admin(s) {
            continue;
        }
        let wildcards: Vec<&At<String>> = s
            .action
            .iter()
            .flatten()
            .filter(|a| {
                a.value.trim().strip_suffix(":*").is_some_and(|svc| {
                    !svc.is_empty() && !svc.contains('*') && !svc.contains('?')
                })
            })
            .collect();
        let Some(first) = wildcards.first() else {
            continue;
        };
        let sensitive = wildcards.iter().any(|a| {
            let svc = a.value.trim().trim_end_matches(":*");
            SENSITIVE.iter().any(|x| x.eq_ignore_ascii_case(svc))
        });
        let shown: Vec<String> = wildcards.iter().map(|a| format!("`{}`", a.value)).collect();
        out.push(
            cx.at_value(&RULE, first, &format!("service wildcard {}", shown.join(" ")))
                .severity(if sensitive {
                    Severity::High
                } else {
                    Severity::Medium
                })
                .message(format!(
                    "the statement allows {} on every resource (`*`)",
                    shown.join(", ")
                )),
        );
    }
}

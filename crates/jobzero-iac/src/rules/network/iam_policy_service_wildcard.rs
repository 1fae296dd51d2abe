use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::policy;

use super::common::{identity_policies, is_full_wildcard, listing};

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows every action of a service (`s3:*`, `iam:*`)
    /// on every resource (`*`), in the same policies as `iam-policy-admin-access` (statements
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
        id: "iac/iam-policy-service-wildcard",
        code: "IAC096",
        title: "an IAM policy grants every action of a service on every resource",
        family: Family::Iac,
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
    for d in identity_policies(cx) {
        for st in policy::statements(&d.doc) {
            if !st.allow || !st.any_resource() || st.actions.iter().any(|a| is_full_wildcard(a)) {
                continue;
            }
            let services: Vec<&str> = st
                .actions
                .iter()
                .filter_map(|a| a.trim().strip_suffix(":*"))
                .filter(|svc| !svc.is_empty() && !svc.contains('*') && !svc.contains('?'))
                .collect();
            if services.is_empty() {
                continue;
            }
            let sensitive = services
                .iter()
                .any(|s| SENSITIVE.iter().any(|x| x.eq_ignore_ascii_case(s)));
            let wildcards: Vec<String> = services.iter().map(|s| format!("{s}:*")).collect();
            let shown: Vec<&str> = wildcards.iter().map(String::as_str).collect();
            out.push(
                cx.at(&RULE, d.r, d.node_of(&st))
                    .severity(if sensitive {
                        Severity::High
                    } else {
                        Severity::Medium
                    })
                    .message(format!(
                        "`{}` allows {} on every resource (`*`)",
                        d.r.addr,
                        listing(&shown)
                    ))
                    .evidence(d.evidence(&st)),
            );
        }
    }
}

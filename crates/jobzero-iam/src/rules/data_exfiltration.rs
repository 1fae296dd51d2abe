use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::Effect;
use crate::rules::util::{any_resource, granted, limited, listing};
use crate::audit::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows reading any object, parameter or secret of
    /// the account, on every resource (`*`) and without a restricting condition:
    /// `s3:GetObject`, `ssm:GetParameter`, `ssm:GetParameters`, `ssm:GetParametersByPath`,
    /// `secretsmanager:GetSecretValue`, `kms:Decrypt` (directly or through patterns such as
    /// `s3:Get*`; the full wildcard `*` is left to `iam/full-admin-access`).
    ///
    /// ## Why it matters
    /// Whoever compromises the identity can read every bucket, every secret and every
    /// parameter of the account, not just the ones the workload uses: one foothold becomes
    /// a full data breach.
    ///
    /// ## Example
    /// ```hcl
    /// statement {
    ///   actions   = ["secretsmanager:GetSecretValue"]
    ///   resources = ["*"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Name the secrets, parameters, keys and bucket paths the workload reads
    /// (`arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/*`), or restrict the
    /// statement with a condition such as `kms:ViaService`.
    ///
    /// ## References
    /// - CWE-200
    /// - [AWS: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - Checkov CKV_AWS_288, CKV_AWS_108
    pub static RULE = {
        id: "iam/data-exfiltration",
        code: "IAM020",
        title: "a policy allows reading any secret or object of the account",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Read actions that return data or secrets.
const READS: &[&str] = &[
    "s3:GetObject",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
    "kms:Decrypt",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != PolicyKind::Identity {
        return;
    }
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow || !any_resource(s) || limited(s) {
            continue;
        }
        let hit = granted(s, READS);
        if hit.is_empty() {
            continue;
        }
        out.push(
            cx.at_statement(&RULE, s, &format!("reads {}", hit.join(" ")))
                .message(format!(
                    "the statement allows {} on every resource (`*`)",
                    listing(&hit)
                )),
        );
    }
}

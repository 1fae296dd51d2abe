use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::unset;

declare_rule! {
    /// ## What it finds
    /// A Secrets Manager secret encrypted with the AWS managed key `aws/secretsmanager`: no
    /// `kms_key_id` on `aws_secretsmanager_secret`, no `KmsKeyId` on a CloudFormation
    /// `AWS::SecretsManager::Secret`.
    ///
    /// ## Why it matters
    /// With the AWS managed key, every principal of the account allowed
    /// `secretsmanager:GetSecretValue` can read the secret; the key policy cannot be changed
    /// to add a second gate, and the secret cannot be shared with another account. A
    /// customer-managed key lets you restrict decryption to the roles that need the secret.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_secretsmanager_secret" "db" {
    ///   name = "prod/orders/db"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `kms_key_id` to a customer-managed key whose policy allows only the consumers of
    /// the secret to decrypt.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: secret encryption and decryption in Secrets Manager](https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html)
    /// - Checkov CKV_AWS_149
    pub static RULE = {
        id: "iac/secretsmanager-secret-without-cmk",
        code: "IAC052",
        title: "secret encrypted with the AWS managed key instead of a customer-managed key",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_secretsmanager_secret", "AWS::SecretsManager::Secret"]) {
        let key = if r.rtype == "aws_secretsmanager_secret" {
            "kms_key_id"
        } else {
            "KmsKeyId"
        };
        if unset(&r.body, key) {
            out.push(cx.missing(&RULE, r, key).message(format!(
                "secret `{}` has no `{key}`, so it is encrypted with the AWS managed key `aws/secretsmanager`",
                r.addr
            )));
        }
    }
}

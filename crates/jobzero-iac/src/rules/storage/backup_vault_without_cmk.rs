use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::unset;

declare_rule! {
    /// ## What it finds
    /// An AWS Backup vault encrypted with the AWS managed key `aws/backup`: no `kms_key_arn`
    /// on `aws_backup_vault`, no `EncryptionKeyArn` on a CloudFormation
    /// `AWS::Backup::BackupVault`.
    ///
    /// ## Why it matters
    /// Backups are full copies of the protected data. With the AWS managed key, the key policy
    /// cannot restrict who may decrypt them, and cross-account copies (the usual defence
    /// against ransomware that deletes backups) need a customer-managed key.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_backup_vault" "main" {
    ///   name = "main"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `kms_key_arn` to a customer-managed key dedicated to backups.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encryption for backups in AWS Backup](https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html)
    /// - Checkov CKV_AWS_166
    pub static RULE = {
        id: "iac/backup-vault-without-cmk",
        code: "IAC055",
        title: "backup vault encrypted with the AWS managed key instead of a customer-managed key",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_backup_vault", "AWS::Backup::BackupVault"]) {
        let key = if r.rtype == "aws_backup_vault" {
            "kms_key_arn"
        } else {
            "EncryptionKeyArn"
        };
        if unset(&r.body, key) {
            out.push(cx.missing(&RULE, r, key).message(format!(
                "backup vault `{}` has no `{key}`, so its recovery points are encrypted with the AWS managed key `aws/backup`",
                r.addr
            )));
        }
    }
}

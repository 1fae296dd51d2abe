use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_off;

declare_rule! {
    /// ## What it finds
    /// An EFS file system that is not encrypted at rest: `encrypted` set to `false` or left
    /// out (default `false`) on `aws_efs_file_system`, `Encrypted` on a CloudFormation
    /// `AWS::EFS::FileSystem`.
    ///
    /// ## Why it matters
    /// Shared file systems collect exports, uploads, home directories and application state
    /// from many hosts. Without encryption, their data and backups are not protected by a key
    /// policy, and encryption can only be chosen when the file system is created.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_efs_file_system" "shared" {
    ///   creation_token = "shared"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `encrypted = true`, with `kms_key_id` for a customer-managed key, and migrate the
    /// data to the new file system.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encrypting data at rest in Amazon EFS](https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html)
    /// - Checkov CKV_AWS_42
    pub static RULE = {
        id: "iac/efs-file-system-unencrypted",
        code: "IAC032",
        title: "unencrypted EFS file system",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_efs_file_system", "AWS::EFS::FileSystem"]) {
        let key = if r.rtype == "aws_efs_file_system" {
            "encrypted"
        } else {
            "Encrypted"
        };
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "its files and backups are stored unencrypted",
        ) {
            out.push(f);
        }
    }
}

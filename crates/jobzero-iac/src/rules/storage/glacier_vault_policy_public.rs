use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_public_policies;

declare_rule! {
    /// ## What it finds
    /// An S3 Glacier vault access policy with a statement that allows anyone: `Effect: Allow`
    /// to the principal `*` with no condition limiting it, in the `access_policy` of
    /// `aws_glacier_vault` or the `AccessPolicy` of a CloudFormation `AWS::Glacier::Vault`.
    ///
    /// ## Why it matters
    /// Vaults hold long-term archives, often backups and records kept for compliance. A public
    /// policy lets any AWS account start retrieval jobs and download the archives, or with
    /// delete actions destroy them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_glacier_vault" "archive" {
    ///   name = "archive"
    ///   access_policy = jsonencode({
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = ["glacier:InitiateJob", "glacier:GetJobOutput"]
    ///       Resource  = "arn:aws:glacier:eu-west-1:123456789012:vaults/archive"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Grant vault access to named roles or accounts only.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: Glacier vault access policies](https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-access-policy.html)
    /// - Checkov CKV_AWS_167
    pub static RULE = {
        id: "iac/glacier-vault-policy-public",
        code: "IAC059",
        title: "archive vault policy allows anyone",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    report_public_policies(
        cx,
        out,
        &RULE,
        &[
            ("aws_glacier_vault", "access_policy"),
            ("AWS::Glacier::Vault", "AccessPolicy"),
        ],
        "the vault",
    );
}

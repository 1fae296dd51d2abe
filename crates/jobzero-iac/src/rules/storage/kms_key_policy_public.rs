use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_public_policies;

declare_rule! {
    /// ## What it finds
    /// A KMS key policy with a statement that allows anyone: `Effect: Allow` to the principal
    /// `*` (or `{"AWS": "*"}`) with no condition limiting it to an account, organisation or
    /// service (`kms:CallerAccount`, `kms:ViaService`, `aws:PrincipalOrgID`, ...), in the
    /// `policy` of `aws_kms_key` or `aws_kms_key_policy`, or the `KeyPolicy` of a
    /// CloudFormation `AWS::KMS::Key`.
    ///
    /// ## Why it matters
    /// The key policy is the root of access to a key: a public statement lets any AWS account
    /// use the key to decrypt the data it protects (with `kms:Decrypt`), or take it over and
    /// schedule its deletion (with `kms:*`), destroying every piece of data encrypted with it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   policy = jsonencode({
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "*" }
    ///       Action    = "kms:*"
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Grant key administration and use to named roles of your account (`arn:aws:iam::<id>:root`
    /// to delegate to IAM), or limit a `*` principal with `kms:CallerAccount` and
    /// `kms:ViaService`.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: key policies in AWS KMS](https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html)
    /// - Checkov CKV_AWS_33
    pub static RULE = {
        id: "iac/kms-key-policy-public",
        code: "IAC054",
        title: "key policy allows anyone",
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
            ("aws_kms_key", "policy"),
            ("aws_kms_key_policy", "policy"),
            ("AWS::KMS::Key", "KeyPolicy"),
        ],
        "the key",
    );
}

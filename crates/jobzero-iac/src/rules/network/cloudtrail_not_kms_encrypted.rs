use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::non_empty;

declare_rule! {
    /// ## What it finds
    /// A CloudTrail trail whose log files are not encrypted with a KMS key: `aws_cloudtrail`
    /// without `kms_key_id`, CloudFormation `AWS::CloudTrail::Trail` without `KMSKeyId`.
    ///
    /// ## Why it matters
    /// Without a KMS key the logs get only S3-managed encryption: anyone allowed to read the
    /// bucket reads the whole account's activity (resource names, IP addresses, request
    /// parameters), and there is no separate key policy and decryption trail to limit and
    /// watch that access.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Encrypt the trail with a customer-managed key whose policy lets CloudTrail encrypt and
    /// only the security team decrypt: `kms_key_id = aws_kms_key.trail.arn`.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encrypting CloudTrail log files with AWS KMS keys](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html)
    /// - Checkov CKV_AWS_35
    pub static RULE = {
        id: "iac/cloudtrail-not-kms-encrypted",
        code: "IAC084",
        title: "a CloudTrail trail without KMS encryption",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_cloudtrail", "kms_key_id"),
        ("AWS::CloudTrail::Trail", "KMSKeyId"),
    ] {
        for r in cx.of(&[rtype]) {
            if non_empty(r.body.get_direct(key)) {
                continue;
            }
            out.push(cx.missing(&RULE, r, key).message(format!(
                "trail `{}` has no `{key}`; its logs are not encrypted with a KMS key",
                r.addr
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::unset;

declare_rule! {
    /// ## What it finds
    /// A CloudWatch Logs log group without a KMS key: no `kms_key_id` on
    /// `aws_cloudwatch_log_group`, no `KmsKeyId` on a CloudFormation `AWS::Logs::LogGroup`.
    ///
    /// ## Why it matters
    /// CloudWatch Logs always encrypts log data with service-managed keys, but then anyone
    /// allowed `logs:GetLogEvents` reads it, with no key policy as a second gate and no way to
    /// make it unreadable by disabling a key. Application logs regularly capture tokens,
    /// request bodies and personal data.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "api" {
    ///   name              = "/app/api"
    ///   retention_in_days = 90
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `kms_key_id` to a customer-managed key whose policy allows the
    /// `logs.<region>.amazonaws.com` service principal to use it.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encrypt log data in CloudWatch Logs using AWS KMS](https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html)
    /// - Checkov CKV_AWS_158
    pub static RULE = {
        id: "iac/cloudwatch-log-group-unencrypted",
        code: "IAC047",
        title: "log group not encrypted with a KMS key",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_cloudwatch_log_group", "AWS::Logs::LogGroup"]) {
        let key = if r.rtype == "aws_cloudwatch_log_group" {
            "kms_key_id"
        } else {
            "KmsKeyId"
        };
        if unset(&r.body, key) {
            out.push(cx.missing(&RULE, r, key).message(format!(
                "log group `{}` has no `{key}`, so its logs are protected only by service-managed keys",
                r.addr
            )));
        }
    }
}

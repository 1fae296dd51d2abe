use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Setting, setting};

declare_rule! {
    /// ## What it finds
    /// A CloudTrail trail without log file integrity validation: `aws_cloudtrail` without
    /// `enable_log_file_validation = true` (the default is false), CloudFormation
    /// `AWS::CloudTrail::Trail` without `EnableLogFileValidation: true`.
    ///
    /// ## Why it matters
    /// An intruder who reaches the trail's bucket can delete or edit log files to hide what
    /// they did; without the signed digest files nobody can prove the log is complete and
    /// unchanged.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name                  = "main"
    ///   s3_bucket_name        = aws_s3_bucket.trail.id
    ///   is_multi_region_trail = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `enable_log_file_validation = true`.
    ///
    /// ## References
    /// - CWE-354
    /// - [AWS: validating CloudTrail log file integrity](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html)
    /// - Checkov CKV_AWS_36
    pub static RULE = {
        id: "iac/cloudtrail-log-validation-disabled",
        code: "IAC083",
        title: "a CloudTrail trail without log file validation",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_cloudtrail", "enable_log_file_validation"),
        ("AWS::CloudTrail::Trail", "EnableLogFileValidation"),
    ] {
        for r in cx.of(&[rtype]) {
            match setting(r, key) {
                Setting::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                    "trail `{}` does not sign its log files (`{key} = false`)",
                    r.addr
                ))),
                Setting::Absent => out.push(cx.missing(&RULE, r, key).message(format!(
                    "trail `{}` does not sign its log files (`{key}` is not set)",
                    r.addr
                ))),
                Setting::On | Setting::Unknown => {}
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Setting, setting};

declare_rule! {
    /// ## What it finds
    /// A CloudTrail trail that exists but does not log: `enable_logging = false` on
    /// `aws_cloudtrail`, `IsLogging: false` on CloudFormation `AWS::CloudTrail::Trail`.
    ///
    /// ## Why it matters
    /// A stopped trail gives the appearance of an audit trail while recording nothing;
    /// stopping logging is also one of the first things an intruder does.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    ///   enable_logging = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove `enable_logging = false` (logging is on by default), and alert on
    /// `StopLogging` events.
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: CloudTrail trail settings](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html)
    /// - Checkov CKV_AWS_251
    pub static RULE = {
        id: "iac/cloudtrail-logging-stopped",
        code: "IAC085",
        title: "a CloudTrail trail with logging switched off",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_cloudtrail", "enable_logging"),
        ("AWS::CloudTrail::Trail", "IsLogging"),
    ] {
        for r in cx.of(&[rtype]) {
            if let Setting::Off(n) = setting(r, key) {
                out.push(
                    cx.at(&RULE, r, n)
                        .message(format!("trail `{}` does not log (`{key} = false`)", r.addr)),
                );
            }
        }
    }
}

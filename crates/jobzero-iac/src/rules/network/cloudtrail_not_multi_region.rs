use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Setting, setting};

declare_rule! {
    /// ## What it finds
    /// A CloudTrail trail that records only the region it is created in:
    /// `aws_cloudtrail` without `is_multi_region_trail = true` (the default is false),
    /// CloudFormation `AWS::CloudTrail::Trail` without `IsMultiRegionTrail: true`.
    ///
    /// ## Why it matters
    /// Attackers with stolen credentials routinely work in regions nobody uses (crypto-mining
    /// fleets, persistence in a forgotten region) precisely because single-region trails do
    /// not see them.
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
    /// Set `is_multi_region_trail = true`, ideally on an organization trail.
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: how CloudTrail works with regions](https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-regional-and-global-services)
    /// - Checkov CKV_AWS_67
    pub static RULE = {
        id: "iac/cloudtrail-not-multi-region",
        code: "IAC082",
        title: "a CloudTrail trail records a single region",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_cloudtrail", "is_multi_region_trail"),
        ("AWS::CloudTrail::Trail", "IsMultiRegionTrail"),
    ] {
        for r in cx.of(&[rtype]) {
            match setting(r, key) {
                Setting::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                    "trail `{}` records only its own region (`{key} = false`)",
                    r.addr
                ))),
                Setting::Absent => out.push(cx.missing(&RULE, r, key).message(format!(
                    "trail `{}` records only its own region (`{key}` is not set)",
                    r.addr
                ))),
                Setting::On | Setting::Unknown => {}
            }
        }
    }
}

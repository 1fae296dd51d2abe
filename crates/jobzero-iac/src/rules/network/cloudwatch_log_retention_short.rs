use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A CloudWatch log group that deletes its events after less than a year:
    /// `retention_in_days` below 365 on `aws_cloudwatch_log_group`, `RetentionInDays` below
    /// 365 on CloudFormation `AWS::Logs::LogGroup`. A log group without retention keeps its
    /// events forever and is not reported.
    ///
    /// ## Why it matters
    /// Intrusions are typically discovered months after they start; logs that expired before
    /// the investigation cannot say how the attacker got in or what they took, and many
    /// regulations require a year of retention.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudwatch_log_group" "app" {
    ///   name              = "/app/api"
    ///   retention_in_days = 30
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Keep audit-relevant logs for at least 365 days (`retention_in_days = 365`), or export
    /// them to cheaper long-term storage before they expire.
    ///
    /// ## References
    /// - CWE-779
    /// - [AWS: change log data retention in CloudWatch Logs](https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention)
    /// - Checkov CKV_AWS_338
    pub static RULE = {
        id: "iac/cloudwatch-log-retention-short",
        code: "IAC087",
        title: "log group keeps its events for less than a year",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_cloudwatch_log_group", "retention_in_days"),
        ("AWS::Logs::LogGroup", "RetentionInDays"),
    ] {
        for r in cx.of(&[rtype]) {
            let Some(n) = r.body.get_direct(key) else {
                continue;
            };
            if let Some(days) = n.as_num()
                && days > 0.0
                && days < 365.0
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "log group `{}` deletes its events after {days} days (`{key} = {days}`)",
                    r.addr
                )));
            }
        }
    }
}

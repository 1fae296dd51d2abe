use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;

declare_rule! {
    /// ## What it finds
    /// An S3 bucket with no server access logging: no `logging` block and no linked
    /// `aws_s3_bucket_logging` (AWS provider 4+) in Terraform, no `LoggingConfiguration` in
    /// CloudFormation. Buckets that receive the access logs of other buckets (the target of a
    /// `logging` block, an `aws_s3_bucket_logging` or a `LoggingConfiguration`, or a bucket
    /// with the `log-delivery-write` ACL) are not reported: logging a log bucket into itself
    /// would loop.
    ///
    /// ## Why it matters
    /// Without access logs nobody can tell, after a leaked credential or a mistaken policy,
    /// which objects were read, by whom and from where. CloudTrail records bucket-level API
    /// calls only; object reads and writes need server access logs or CloudTrail data events.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "customer-exports"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Send the bucket's access logs to a dedicated log bucket (or enable CloudTrail S3 data
    /// events for it):
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_logging" "exports" {
    ///   bucket        = aws_s3_bucket.exports.id
    ///   target_bucket = aws_s3_bucket.access_logs.id
    ///   target_prefix = "exports/"
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: logging requests with server access logging](https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html)
    /// - Checkov CKV_AWS_18
    pub static RULE = {
        id: "iac/s3-bucket-access-logging-disabled",
        code: "IAC015",
        title: "bucket without server access logging",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

/// Whether a canned ACL is the one of log buckets.
fn acl_is_log(acl: Option<&str>) -> bool {
    acl.is_some_and(|a| a.eq_ignore_ascii_case("log-delivery-write"))
}

/// Whether Terraform bucket `b` receives the access logs of buckets, or is set up to.
fn is_log_target(cx: &Cx<'_>, b: &Resource) -> bool {
    acl_is_log(b.str_at("acl"))
        || cx
            .graph
            .linked(b, "aws_s3_bucket_acl", "bucket")
            .iter()
            .any(|a| acl_is_log(a.str_at("acl")))
        || !cx
            .graph
            .linked(b, "aws_s3_bucket_logging", "target_bucket")
            .is_empty()
        || !cx
            .graph
            .linked(b, "aws_s3_bucket", "logging.target_bucket")
            .is_empty()
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for b in cx.of(&["aws_s3_bucket"]) {
        if b.is_set("logging")
            || !cx
                .graph
                .linked(b, "aws_s3_bucket_logging", "bucket")
                .is_empty()
            || is_log_target(cx, b)
        {
            continue;
        }
        out.push(cx.missing(&RULE, b, "logging").message(format!(
            "bucket `{}` has no server access logging (neither a `logging` block nor a linked `aws_s3_bucket_logging`)",
            b.addr
        )));
    }
    for b in cx.of(&["AWS::S3::Bucket"]) {
        let log_acl = b
            .str_at("AccessControl")
            .is_some_and(|a| a.eq_ignore_ascii_case("LogDeliveryWrite"));
        if b.is_set("LoggingConfiguration")
            || log_acl
            || !cx
                .graph
                .linked(
                    b,
                    "AWS::S3::Bucket",
                    "LoggingConfiguration.DestinationBucketName",
                )
                .is_empty()
        {
            continue;
        }
        out.push(cx.missing(&RULE, b, "LoggingConfiguration").message(format!(
            "bucket `{}` has no `LoggingConfiguration`, so its object requests are not logged",
            b.addr
        )));
    }
}

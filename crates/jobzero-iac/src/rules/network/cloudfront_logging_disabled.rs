use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A CloudFront distribution that keeps no access log: an `aws_cloudfront_distribution`
    /// without a `logging_config` block, a CloudFormation `AWS::CloudFront::Distribution`
    /// without `DistributionConfig.Logging`, unless a log delivery source
    /// (`aws_cloudwatch_log_delivery_source`, `AWS::Logs::DeliverySource`) names the
    /// distribution (standard logging v2).
    ///
    /// ## Why it matters
    /// The access log is the only record of which clients requested what from the
    /// distribution; without it abuse, scraping or an attack on the origin through the CDN
    /// cannot be traced.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   enabled = true
    ///   # no logging_config
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add a `logging_config { bucket = aws_s3_bucket.cdn_logs.bucket_domain_name }` block,
    /// or deliver standard logs v2 to CloudWatch Logs, S3 or Firehose.
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: CloudFront standard logging](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html)
    /// - Checkov CKV_AWS_86
    pub static RULE = {
        id: "iac/cloudfront-logging-disabled",
        code: "IAC074",
        title: "a CloudFront distribution without access logging",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_cloudfront_distribution"]) {
        if r.is_set("logging_config")
            || !cx
                .graph
                .linked(r, "aws_cloudwatch_log_delivery_source", "resource_arn")
                .is_empty()
        {
            continue;
        }
        out.push(cx.missing(&RULE, r, "logging_config").message(format!(
            "distribution `{}` has no `logging_config` block",
            r.addr
        )));
    }
    for r in cx.of(&["AWS::CloudFront::Distribution"]) {
        let Some(dc) = r.body.get_direct("DistributionConfig") else {
            continue;
        };
        if !dc.is_known()
            || dc.get_direct("Logging").is_some_and(|l| !l.is_null())
            || !cx
                .graph
                .linked(r, "AWS::Logs::DeliverySource", "ResourceArn")
                .is_empty()
        {
            continue;
        }
        out.push(
            cx.missing(&RULE, r, "DistributionConfig.Logging")
                .message(format!("distribution `{}` has no `Logging`", r.addr)),
        );
    }
}

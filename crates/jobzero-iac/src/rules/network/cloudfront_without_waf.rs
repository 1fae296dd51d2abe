use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::non_empty;

declare_rule! {
    /// ## What it finds
    /// A CloudFront distribution with no web ACL: `aws_cloudfront_distribution` without
    /// `web_acl_id`, CloudFormation `AWS::CloudFront::Distribution` without
    /// `DistributionConfig.WebACLId`.
    ///
    /// ## Why it matters
    /// The distribution is the application's front door on the internet; without AWS WAF in
    /// front of it, common exploits (SQL injection, known bad inputs), bots and
    /// request floods reach the origin unfiltered.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   enabled = true
    ///   # no web_acl_id
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Attach an AWS WAF web ACL (scope `CLOUDFRONT`) with at least the AWS managed common
    /// rule set: `web_acl_id = aws_wafv2_web_acl.edge.arn`.
    ///
    /// ## References
    /// - CWE-693
    /// - [AWS: using AWS WAF protections with CloudFront](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/distribution-web-awswaf.html)
    /// - Checkov CKV_AWS_68
    pub static RULE = {
        id: "iac/cloudfront-without-waf",
        code: "IAC075",
        title: "a CloudFront distribution without a web application firewall",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_cloudfront_distribution"]) {
        if non_empty(r.body.get_direct("web_acl_id")) {
            continue;
        }
        out.push(
            cx.missing(&RULE, r, "web_acl_id")
                .message(format!("distribution `{}` has no `web_acl_id`", r.addr)),
        );
    }
    for r in cx.of(&["AWS::CloudFront::Distribution"]) {
        let Some(dc) = r.body.get_direct("DistributionConfig") else {
            continue;
        };
        if !dc.is_known() || non_empty(dc.get_direct("WebACLId")) {
            continue;
        }
        out.push(
            cx.missing(&RULE, r, "DistributionConfig.WebACLId")
                .message(format!("distribution `{}` has no `WebACLId`", r.addr)),
        );
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A CloudFront cache behavior that serves viewers over plain HTTP:
    /// `viewer_protocol_policy = "allow-all"` in the `default_cache_behavior` or an
    /// `ordered_cache_behavior` of `aws_cloudfront_distribution`; `ViewerProtocolPolicy:
    /// allow-all` in the `DefaultCacheBehavior` or `CacheBehaviors` of CloudFormation
    /// `AWS::CloudFront::Distribution`.
    ///
    /// ## Why it matters
    /// Viewers who follow an `http://` link talk to the distribution in clear text: their
    /// cookies and tokens can be read, and the content changed, by anyone on the path.
    ///
    /// ## Example
    /// ```hcl
    /// default_cache_behavior {
    ///   target_origin_id       = "app"
    ///   viewer_protocol_policy = "allow-all"
    ///   allowed_methods        = ["GET", "HEAD"]
    ///   cached_methods         = ["GET", "HEAD"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `viewer_protocol_policy` to `redirect-to-https` (or `https-only`) in every cache
    /// behavior.
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: requiring HTTPS between viewers and CloudFront](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html)
    /// - Checkov CKV_AWS_34
    pub static RULE = {
        id: "iac/cloudfront-viewer-protocol-allows-http",
        code: "IAC071",
        title: "a CloudFront distribution serves viewers over plain HTTP",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, b: &Node, policy: &str, path: Option<&str>) {
    let Some(n) = b.get_direct(policy) else {
        return;
    };
    if !n
        .as_str()
        .is_some_and(|v| v.eq_ignore_ascii_case("allow-all"))
    {
        return;
    }
    let which = match path {
        Some(p) => format!("the cache behavior for `{p}`"),
        None => "the default cache behavior".to_owned(),
    };
    out.push(cx.at(&RULE, r, n).message(format!(
        "distribution `{}` serves {which} over plain HTTP (`{policy} = \"allow-all\"`)",
        r.addr
    )));
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_cloudfront_distribution"]) {
        for b in r.body.all("default_cache_behavior") {
            report(cx, out, r, b, "viewer_protocol_policy", None);
        }
        for b in r.body.all("ordered_cache_behavior") {
            let path = b.get_direct("path_pattern").and_then(Node::as_str);
            report(cx, out, r, b, "viewer_protocol_policy", path.or(Some("?")));
        }
    }
    for r in cx.of(&["AWS::CloudFront::Distribution"]) {
        let Some(dc) = r.body.get_direct("DistributionConfig") else {
            continue;
        };
        for b in dc.all("DefaultCacheBehavior") {
            report(cx, out, r, b, "ViewerProtocolPolicy", None);
        }
        for b in dc.all("CacheBehaviors") {
            let path = b.get_direct("PathPattern").and_then(Node::as_str);
            report(cx, out, r, b, "ViewerProtocolPolicy", path.or(Some("?")));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

use super::common::{Text, listing, text_of};

declare_rule! {
    /// ## What it finds
    /// A CloudFront custom origin reached over plain HTTP or old TLS: in the
    /// `custom_origin_config` of an `origin` of `aws_cloudfront_distribution` (CloudFormation
    /// `CustomOriginConfig` of `DistributionConfig.Origins`), an `origin_protocol_policy`
    /// (`OriginProtocolPolicy`) of `http-only`, or `match-viewer` while a cache behavior
    /// allows HTTP viewers; otherwise `origin_ssl_protocols` (`OriginSSLProtocols`) that
    /// include `SSLv3`, `TLSv1` or `TLSv1.1` (reported at low severity).
    ///
    /// ## Why it matters
    /// HTTPS between viewers and CloudFront protects nothing if CloudFront fetches the
    /// content from the origin in clear text across the internet: responses, cookies and
    /// forwarded headers can be read and changed on that leg.
    ///
    /// ## Example
    /// ```hcl
    /// origin {
    ///   domain_name = "app.example.com"
    ///   origin_id   = "app"
    ///   custom_origin_config {
    ///     http_port              = 80
    ///     https_port             = 443
    ///     origin_protocol_policy = "http-only"
    ///     origin_ssl_protocols   = ["TLSv1.2"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `origin_protocol_policy = "https-only"` with `origin_ssl_protocols = ["TLSv1.2"]`,
    /// and give the origin a valid certificate.
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: requiring HTTPS between CloudFront and your custom origin](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html)
    pub static RULE = {
        id: "iac/cloudfront-origin-plain-http",
        code: "IAC073",
        title: "a CloudFront distribution fetches from its origin over plain HTTP or old TLS",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// Origin protocols older than TLS 1.2.
const WEAK: &[&str] = &["SSLv3", "TLSv1", "TLSv1.1"];

/// The names of one syntax.
struct Keys {
    origins: &'static str,
    id: &'static str,
    custom: &'static str,
    policy: &'static str,
    ssl: &'static str,
    behaviors: [&'static str; 2],
    viewer: &'static str,
}

const TF: Keys = Keys {
    origins: "origin",
    id: "origin_id",
    custom: "custom_origin_config",
    policy: "origin_protocol_policy",
    ssl: "origin_ssl_protocols",
    behaviors: ["default_cache_behavior", "ordered_cache_behavior"],
    viewer: "viewer_protocol_policy",
};

const CFN: Keys = Keys {
    origins: "Origins",
    id: "Id",
    custom: "CustomOriginConfig",
    policy: "OriginProtocolPolicy",
    ssl: "OriginSSLProtocols",
    behaviors: ["DefaultCacheBehavior", "CacheBehaviors"],
    viewer: "ViewerProtocolPolicy",
};

fn check_origins(cx: &Cx<'_>, out: &mut Sink, r: &Resource, root: &Node, k: &Keys) {
    let http_viewers = k.behaviors.iter().flat_map(|b| root.all(b)).any(|b| {
        b.get_direct(k.viewer)
            .and_then(Node::as_str)
            .is_some_and(|v| v.eq_ignore_ascii_case("allow-all"))
    });
    for o in root.all(k.origins) {
        let id = o.get_direct(k.id).and_then(Node::as_str).unwrap_or("?");
        for c in o.all(k.custom) {
            let plain = match text_of(c.get_direct(k.policy)) {
                Text::Is(p, n) if p.eq_ignore_ascii_case("http-only") => Some((n, "")),
                Text::Is(p, n) if p.eq_ignore_ascii_case("match-viewer") && http_viewers => {
                    Some((n, " while viewers may use HTTP"))
                }
                _ => None,
            };
            if let Some((n, why)) = plain {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "distribution `{}` fetches from origin `{id}` over plain HTTP (`{} = {n}`{why})",
                    r.addr, k.policy
                )));
                continue;
            }
            let Some(n) = c.get_direct(k.ssl) else {
                continue;
            };
            let weak: Vec<&str> = n
                .strings()
                .into_iter()
                .filter(|s| WEAK.iter().any(|w| w.eq_ignore_ascii_case(s)))
                .collect();
            if !weak.is_empty() {
                out.push(cx.at(&RULE, r, n).severity(Severity::Low).message(format!(
                    "distribution `{}` lets origin `{id}` negotiate {} (`{}`)",
                    r.addr,
                    listing(&weak),
                    k.ssl
                )));
            }
        }
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_cloudfront_distribution"]) {
        check_origins(cx, out, r, &r.body, &TF);
    }
    for r in cx.of(&["AWS::CloudFront::Distribution"]) {
        if let Some(dc) = r.body.get_direct("DistributionConfig") {
            check_origins(cx, out, r, dc, &CFN);
        }
    }
}

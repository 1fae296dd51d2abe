use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

use super::common::{Setting, Text, non_empty, setting_of, text_of};

declare_rule! {
    /// ## What it finds
    /// A CloudFront distribution that accepts viewer connections below TLS 1.2: in the
    /// `viewer_certificate` of `aws_cloudfront_distribution` (CloudFormation
    /// `DistributionConfig.ViewerCertificate`), a `minimum_protocol_version`
    /// (`MinimumProtocolVersion`) of `SSLv3`, `TLSv1`, `TLSv1_2016` or `TLSv1.1_2016`; a custom
    /// certificate without a minimum version (the default is `TLSv1`); or the default
    /// `*.cloudfront.net` certificate (`cloudfront_default_certificate = true`, or no
    /// `ViewerCertificate` in CloudFormation), for which CloudFront always accepts TLSv1.
    /// The default certificate is reported at low severity.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996); a distribution that accepts them lets
    /// clients, or an attacker in the middle, negotiate a weak connection.
    ///
    /// ## Example
    /// ```hcl
    /// viewer_certificate {
    ///   acm_certificate_arn      = aws_acm_certificate.site.arn
    ///   ssl_support_method       = "sni-only"
    ///   minimum_protocol_version = "TLSv1"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Serve the distribution under your own domain with an ACM certificate and set
    /// `minimum_protocol_version = "TLSv1.2_2021"`.
    ///
    /// ## References
    /// - CWE-326
    /// - [AWS: supported protocols and ciphers between viewers and CloudFront](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html)
    /// - Checkov CKV_AWS_174
    pub static RULE = {
        id: "iac/cloudfront-weak-minimum-protocol",
        code: "IAC072",
        title: "a CloudFront distribution accepts TLS versions below 1.2",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// Minimum versions that accept TLS 1.1 or older.
const WEAK: &[&str] = &["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"];

/// The names of one syntax.
struct Keys {
    /// The certificate block, as a route under the resource.
    route: &'static str,
    default_cert: &'static str,
    minimum: &'static str,
    custom: [&'static str; 2],
}

const TF: Keys = Keys {
    route: "viewer_certificate",
    default_cert: "cloudfront_default_certificate",
    minimum: "minimum_protocol_version",
    custom: ["acm_certificate_arn", "iam_certificate_id"],
};

const CFN: Keys = Keys {
    route: "DistributionConfig.ViewerCertificate",
    default_cert: "CloudFrontDefaultCertificate",
    minimum: "MinimumProtocolVersion",
    custom: ["AcmCertificateArn", "IamCertificateId"],
};

fn check_cert(cx: &Cx<'_>, out: &mut Sink, r: &Resource, vc: &Node, k: &Keys) {
    if !vc.is_known() {
        return;
    }
    let custom = k.custom.iter().any(|c| non_empty(vc.get(c)));
    if !custom
        && let Setting::On = setting_of(vc.get(k.default_cert))
        && let Some(n) = vc.get(k.default_cert)
    {
        out.push(
            cx.at(&RULE, r, n)
                .severity(Severity::Low)
                .message(format!(
                    "distribution `{}` uses the default CloudFront certificate, for which CloudFront accepts TLSv1",
                    r.addr
                )),
        );
        return;
    }
    match text_of(vc.get(k.minimum)) {
        Text::Is(v, n) if WEAK.iter().any(|w| w.eq_ignore_ascii_case(v)) => {
            out.push(cx.at(&RULE, r, n).message(format!(
                "distribution `{}` accepts viewers from `{v}`, below TLS 1.2",
                r.addr
            )));
        }
        Text::Absent if custom => {
            out.push(
                cx.missing(&RULE, r, &format!("{}.{}", k.route, k.minimum))
                    .message(format!(
                        "distribution `{}` sets no `{}`; with a custom certificate it defaults to `TLSv1`",
                        r.addr, k.minimum
                    )),
            );
        }
        _ => {}
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_cloudfront_distribution"]) {
        for vc in r.body.all("viewer_certificate") {
            check_cert(cx, out, r, vc, &TF);
        }
    }
    for r in cx.of(&["AWS::CloudFront::Distribution"]) {
        let Some(dc) = r.body.get_direct("DistributionConfig") else {
            continue;
        };
        if !dc.is_known() {
            continue;
        }
        match dc.get_direct("ViewerCertificate") {
            Some(vc) if !vc.is_null() => check_cert(cx, out, r, vc, &CFN),
            _ => out.push(
                cx.missing(&RULE, r, CFN.route)
                    .severity(Severity::Low)
                    .message(format!(
                        "distribution `{}` has no `ViewerCertificate` and uses the default CloudFront certificate, for which CloudFront accepts TLSv1",
                        r.addr
                    )),
            ),
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Text, text_of};

declare_rule! {
    /// ## What it finds
    /// An API Gateway custom domain name that accepts TLS 1.0: `security_policy = "TLS_1_0"`
    /// on `aws_api_gateway_domain_name`, `SecurityPolicy: TLS_1_0` on CloudFormation
    /// `AWS::ApiGateway::DomainName`.
    ///
    /// ## Why it matters
    /// TLS 1.0 is deprecated (RFC 8996) and its weaknesses let an attacker in the middle
    /// attack the connection; clients can be negotiated down to it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_api_gateway_domain_name" "api" {
    ///   domain_name              = "api.example.com"
    ///   regional_certificate_arn = aws_acm_certificate.api.arn
    ///   security_policy          = "TLS_1_0"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `security_policy = "TLS_1_2"` (or a newer `SecurityPolicy_TLS13_*` policy).
    ///
    /// ## References
    /// - CWE-326
    /// - [AWS: choose a security policy for your custom domain in API Gateway](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html)
    /// - Checkov CKV_AWS_206
    pub static RULE = {
        id: "iac/api-gateway-domain-weak-tls",
        code: "IAC077",
        title: "an API Gateway custom domain accepts TLS 1.0",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_api_gateway_domain_name", "security_policy"),
        ("AWS::ApiGateway::DomainName", "SecurityPolicy"),
    ] {
        for r in cx.of(&[rtype]) {
            if let Text::Is(p, n) = text_of(r.body.get_direct(key))
                && p.eq_ignore_ascii_case("TLS_1_0")
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "custom domain `{}` accepts TLS 1.0 (`{key} = \"{p}\"`)",
                    r.addr
                )));
            }
        }
    }
}

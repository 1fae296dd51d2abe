use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;

use super::common::{Text, text_of};

declare_rule! {
    /// ## What it finds
    /// An HTTPS or TLS listener of an Application or Network Load Balancer whose security
    /// policy accepts TLS 1.0 or 1.1: `ssl_policy` of `aws_lb_listener`/`aws_alb_listener`,
    /// `SslPolicy` of CloudFormation `AWS::ElasticLoadBalancingV2::Listener`. Accepted are the
    /// policies that start at TLS 1.2 (`ELBSecurityPolicy-TLS13-1-2-*`,
    /// `ELBSecurityPolicy-TLS13-1-3-*`, `ELBSecurityPolicy-TLS-1-2-*`,
    /// `ELBSecurityPolicy-FS-1-2-*`). A listener without a policy gets
    /// `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0, and is reported too.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on weak constructions, and a client
    /// or attacker can negotiate them down; PCI DSS and most compliance regimes forbid them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 443
    ///   protocol          = "HTTPS"
    ///   ssl_policy        = "ELBSecurityPolicy-2016-08"
    ///   certificate_arn   = aws_acm_certificate.web.arn
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set a policy that starts at TLS 1.2, such as `ELBSecurityPolicy-TLS13-1-2-2021-06`.
    ///
    /// ## References
    /// - CWE-326
    /// - [AWS: security policies for your Application Load Balancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html)
    /// - Checkov CKV_AWS_103
    pub static RULE = {
        id: "iac/lb-listener-weak-tls-policy",
        code: "IAC067",
        title: "load balancer listener accepts TLS versions below 1.2",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// The prefixes of the predefined policies whose minimum is TLS 1.2 or later.
const STRONG: &[&str] = &[
    "ELBSecurityPolicy-TLS13-1-2-",
    "ELBSecurityPolicy-TLS13-1-3-",
    "ELBSecurityPolicy-TLS-1-2-",
    "ELBSecurityPolicy-FS-1-2-",
];

/// The policy a listener gets when none is named.
const DEFAULT: &str = "ELBSecurityPolicy-2016-08";

fn weak(policy: &str) -> bool {
    policy.starts_with("ELBSecurityPolicy-") && !STRONG.iter().any(|s| policy.starts_with(s))
}

fn check_one(cx: &Cx<'_>, out: &mut Sink, r: &Resource, protocol_key: &str, policy_key: &str) {
    let is_tls = r
        .str_at(protocol_key)
        .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS") || p.eq_ignore_ascii_case("TLS"));
    if !is_tls {
        return;
    }
    match text_of(r.body.get_direct(policy_key)) {
        Text::Is(p, n) if weak(p) => out.push(cx.at(&RULE, r, n).message(format!(
            "listener `{}` uses security policy `{p}`, which accepts TLS versions below 1.2",
            r.addr
        ))),
        Text::Absent => out.push(cx.missing(&RULE, r, policy_key).message(format!(
            "listener `{}` names no security policy and gets `{DEFAULT}`, which accepts TLS 1.0 and 1.1",
            r.addr
        ))),
        Text::Is(..) | Text::Unknown => {}
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_lb_listener", "aws_alb_listener"]) {
        check_one(cx, out, r, "protocol", "ssl_policy");
    }
    for r in cx.of(&["AWS::ElasticLoadBalancingV2::Listener"]) {
        check_one(cx, out, r, "Protocol", "SslPolicy");
    }
}

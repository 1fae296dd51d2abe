use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{
    Setting, cfn_attribute, cfn_attributes_unknown, lb_is_application, setting, setting_of,
};

declare_rule! {
    /// ## What it finds
    /// An Application Load Balancer that forwards HTTP headers with invalid names to its
    /// targets: `aws_lb`/`aws_alb` of type `application` without
    /// `drop_invalid_header_fields = true` (the default is false), CloudFormation
    /// `AWS::ElasticLoadBalancingV2::LoadBalancer` of type `application` without the attribute
    /// `routing.http.drop_invalid_header_fields.enabled` set to `true`.
    ///
    /// ## Why it matters
    /// Headers that the load balancer and the application parse differently are the raw
    /// material of request smuggling and header injection; dropping them at the edge removes
    /// a class of desynchronisation attacks.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb" "web" {
    ///   name               = "web"
    ///   load_balancer_type = "application"
    ///   subnets            = var.public_subnets
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `drop_invalid_header_fields = true` on the load balancer.
    ///
    /// ## References
    /// - CWE-444
    /// - [AWS: Application Load Balancer attributes](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes)
    /// - Checkov CKV_AWS_131
    pub static RULE = {
        id: "iac/lb-invalid-headers-kept",
        code: "IAC070",
        title: "application load balancer forwards invalid HTTP headers",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// The CloudFormation attribute.
const ATTRIBUTE: &str = "routing.http.drop_invalid_header_fields.enabled";

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_lb", "aws_alb"]) {
        if lb_is_application(r, "load_balancer_type") != Some(true) {
            continue;
        }
        match setting(r, "drop_invalid_header_fields") {
            Setting::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                "load balancer `{}` forwards headers with invalid names (`drop_invalid_header_fields = false`)",
                r.addr
            ))),
            Setting::Absent => out.push(cx.missing(&RULE, r, "drop_invalid_header_fields").message(
                format!(
                    "load balancer `{}` leaves `drop_invalid_header_fields` at its default, false",
                    r.addr
                ),
            )),
            Setting::On | Setting::Unknown => {}
        }
    }
    for r in cx.of(&["AWS::ElasticLoadBalancingV2::LoadBalancer"]) {
        if lb_is_application(r, "Type") != Some(true) {
            continue;
        }
        match setting_of(cfn_attribute(r, "LoadBalancerAttributes", ATTRIBUTE)) {
            Setting::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                "load balancer `{}` sets `{ATTRIBUTE}` to false",
                r.addr
            ))),
            Setting::Absent => {
                if cfn_attributes_unknown(r, "LoadBalancerAttributes") {
                    continue;
                }
                out.push(
                    cx.missing(&RULE, r, "LoadBalancerAttributes")
                        .message(format!(
                            "load balancer `{}` does not set the attribute `{ATTRIBUTE}` to true",
                            r.addr
                        )),
                );
            }
            Setting::On | Setting::Unknown => {}
        }
    }
}

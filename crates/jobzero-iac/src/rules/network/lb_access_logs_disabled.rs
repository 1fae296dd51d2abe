use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{
    Setting, cfn_attribute, cfn_attributes_unknown, lb_is_application, setting, setting_of,
};

declare_rule! {
    /// ## What it finds
    /// A load balancer that keeps no access log: an application `aws_lb`/`aws_alb` without
    /// an `access_logs` block with `enabled = true` (the default is off, even with a bucket),
    /// an `aws_elb` without `access_logs` or with `enabled = false`; a CloudFormation
    /// application `AWS::ElasticLoadBalancingV2::LoadBalancer` without the attribute
    /// `access_logs.s3.enabled` set to `true`, an `AWS::ElasticLoadBalancing::LoadBalancer`
    /// without `AccessLoggingPolicy.Enabled`.
    ///
    /// ## Why it matters
    /// The access log is the only record of who called the service, from where and with what
    /// result; without it an attack through the load balancer cannot be traced or scoped.
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
    /// Send access logs to an S3 bucket:
    /// `access_logs { bucket = aws_s3_bucket.lb_logs.id enabled = true }`.
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: access logs for your Application Load Balancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html)
    /// - Checkov CKV_AWS_91, CKV_AWS_92
    pub static RULE = {
        id: "iac/lb-access-logs-disabled",
        code: "IAC069",
        title: "load balancer without access logs",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_lb", "aws_alb"]) {
        if lb_is_application(r, "load_balancer_type") != Some(true) {
            continue;
        }
        if r.body.all("access_logs").is_empty() {
            out.push(cx.missing(&RULE, r, "access_logs").message(format!(
                "load balancer `{}` has no `access_logs` block",
                r.addr
            )));
            continue;
        }
        match setting(r, "access_logs.enabled") {
            Setting::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                "load balancer `{}` switches access logs off (`enabled = false`)",
                r.addr
            ))),
            Setting::Absent => out.push(cx.missing(&RULE, r, "access_logs.enabled").message(
                format!(
                    "load balancer `{}` names a log bucket but leaves `access_logs.enabled` at its default, false",
                    r.addr
                ),
            )),
            Setting::On | Setting::Unknown => {}
        }
    }
    for r in cx.of(&["aws_elb"]) {
        if r.body.all("access_logs").is_empty() {
            out.push(cx.missing(&RULE, r, "access_logs").message(format!(
                "load balancer `{}` has no `access_logs` block",
                r.addr
            )));
        } else if let Setting::Off(n) = setting(r, "access_logs.enabled") {
            out.push(cx.at(&RULE, r, n).message(format!(
                "load balancer `{}` switches access logs off (`enabled = false`)",
                r.addr
            )));
        }
    }
    for r in cx.of(&["AWS::ElasticLoadBalancingV2::LoadBalancer"]) {
        if lb_is_application(r, "Type") != Some(true) {
            continue;
        }
        match setting_of(cfn_attribute(
            r,
            "LoadBalancerAttributes",
            "access_logs.s3.enabled",
        )) {
            Setting::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                "load balancer `{}` sets `access_logs.s3.enabled` to false",
                r.addr
            ))),
            Setting::Absent => {
                if cfn_attributes_unknown(r, "LoadBalancerAttributes") {
                    continue;
                }
                out.push(cx.missing(&RULE, r, "LoadBalancerAttributes").message(format!(
                    "load balancer `{}` does not set the attribute `access_logs.s3.enabled` to true",
                    r.addr
                )));
            }
            Setting::On | Setting::Unknown => {}
        }
    }
    for r in cx.of(&["AWS::ElasticLoadBalancing::LoadBalancer"]) {
        match setting(r, "AccessLoggingPolicy.Enabled") {
            Setting::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                "load balancer `{}` switches access logs off (`AccessLoggingPolicy.Enabled: false`)",
                r.addr
            ))),
            Setting::Absent => {
                if r
                    .body
                    .get_direct("AccessLoggingPolicy")
                    .is_some_and(|a| !a.is_known())
                {
                    continue;
                }
                out.push(cx.missing(&RULE, r, "AccessLoggingPolicy").message(format!(
                    "load balancer `{}` has no `AccessLoggingPolicy`",
                    r.addr
                )));
            }
            Setting::On | Setting::Unknown => {}
        }
    }
}

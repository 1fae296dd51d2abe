use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Classic Load Balancer listener that accepts plain HTTP from clients: a `listener`
    /// block of `aws_elb` with `lb_protocol = "http"`, a `Listeners` item of CloudFormation
    /// `AWS::ElasticLoadBalancing::LoadBalancer` with `Protocol: HTTP`. TCP listeners are not
    /// reported: they may carry TLS that the instances terminate.
    ///
    /// ## Why it matters
    /// Requests and responses, with their cookies and credentials, cross the network in clear
    /// text; a Classic Load Balancer cannot even redirect them to HTTPS.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elb" "web" {
    ///   availability_zones = ["eu-west-1a"]
    ///   listener {
    ///     lb_port           = 80
    ///     lb_protocol       = "http"
    ///     instance_port     = 8080
    ///     instance_protocol = "http"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Serve clients over an `https` (or `ssl`) listener with a certificate, or better,
    /// migrate to an Application Load Balancer that redirects HTTP to HTTPS.
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: listeners for your Classic Load Balancer](https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html)
    pub static RULE = {
        id: "iac/elb-classic-listener-plain-http",
        code: "IAC068",
        title: "classic load balancer listener accepts plain HTTP",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (types, list, key) in [
        ("aws_elb", "listener", "lb_protocol"),
        (
            "AWS::ElasticLoadBalancing::LoadBalancer",
            "Listeners",
            "Protocol",
        ),
    ] {
        for r in cx.of(&[types]) {
            for l in r.body.all(list) {
                let Some(p) = l.get_direct(key) else {
                    continue;
                };
                if p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("http")) {
                    out.push(cx.at(&RULE, r, p).message(format!(
                        "load balancer `{}` has a listener that accepts plain HTTP (`{key} = {p}`)",
                        r.addr
                    )));
                }
            }
        }
    }
}

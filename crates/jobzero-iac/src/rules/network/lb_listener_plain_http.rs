use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

use super::common::{Text, lb_is_application, text_of};

declare_rule! {
    /// ## What it finds
    /// An Application Load Balancer listener that serves plain HTTP without redirecting to
    /// HTTPS: `aws_lb_listener`/`aws_alb_listener` with `protocol = "HTTP"` (or no `protocol`
    /// on an application load balancer, where HTTP is the default) whose `default_action` is
    /// not a `redirect` with `protocol = "HTTPS"`; CloudFormation
    /// `AWS::ElasticLoadBalancingV2::Listener` with `Protocol: HTTP` whose `DefaultActions`
    /// have no `redirect` with `RedirectConfig.Protocol: HTTPS`.
    ///
    /// ## Why it matters
    /// Requests and responses, with their session cookies, tokens and personal data, cross
    /// the internet in clear text: anyone on the path (a public Wi-Fi, a compromised router)
    /// can read or change them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_listener" "web" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.web.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Serve the application on an HTTPS listener, and make the HTTP listener's default action
    /// a permanent redirect to HTTPS:
    /// `default_action { type = "redirect" redirect { protocol = "HTTPS" port = "443" status_code = "HTTP_301" } }`.
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: listeners for your Application Load Balancers](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html)
    /// - Checkov CKV_AWS_2
    pub static RULE = {
        id: "iac/lb-listener-plain-http",
        code: "IAC066",
        title: "load balancer listener serves plain HTTP without redirecting to HTTPS",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// Whether one of `actions` redirects to HTTPS; `None` when it cannot be known.
fn redirects_to_https(
    actions: &[&Node],
    type_key: &str,
    redirect_key: &str,
    protocol_key: &str,
) -> Option<bool> {
    let mut unknown = false;
    for a in actions {
        match text_of(a.get(type_key)) {
            Text::Is(t, _) if t.eq_ignore_ascii_case("redirect") => {
                match text_of(a.get(redirect_key).and_then(|r| r.get(protocol_key))) {
                    Text::Is(p, _) if p.eq_ignore_ascii_case("HTTPS") => return Some(true),
                    Text::Is(..) | Text::Absent => {}
                    Text::Unknown => unknown = true,
                }
            }
            Text::Is(..) => {}
            Text::Absent | Text::Unknown => unknown = true,
        }
    }
    if unknown { None } else { Some(false) }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_lb_listener", "aws_alb_listener"]) {
        let protocol = r.body.get_direct("protocol");
        let plain = match text_of(protocol) {
            Text::Is(p, _) => p.eq_ignore_ascii_case("HTTP"),
            Text::Unknown => false,
            // Without `protocol`, an application load balancer's listener speaks HTTP.
            Text::Absent => r
                .at("load_balancer_arn")
                .and_then(Node::as_ref)
                .and_then(|addr| cx.graph.get(addr))
                .is_some_and(|lb| {
                    lb.is(&["aws_lb", "aws_alb"])
                        && lb_is_application(lb, "load_balancer_type") == Some(true)
                }),
        };
        if !plain {
            continue;
        }
        if redirects_to_https(
            &r.body.all("default_action"),
            "type",
            "redirect",
            "protocol",
        ) != Some(false)
        {
            continue;
        }
        let b = match protocol {
            Some(p) => cx.at(&RULE, r, p),
            None => cx.missing(&RULE, r, "protocol"),
        };
        out.push(b.message(format!(
            "listener `{}` serves plain HTTP and its default action does not redirect to HTTPS",
            r.addr
        )));
    }
    for r in cx.of(&["AWS::ElasticLoadBalancingV2::Listener"]) {
        let Some(protocol) = r.body.get_direct("Protocol") else {
            continue;
        };
        if !protocol
            .as_str()
            .is_some_and(|p| p.eq_ignore_ascii_case("HTTP"))
        {
            continue;
        }
        if redirects_to_https(
            &r.body.all("DefaultActions"),
            "Type",
            "RedirectConfig",
            "Protocol",
        ) != Some(false)
        {
            continue;
        }
        out.push(cx.at(&RULE, r, protocol).message(format!(
            "listener `{}` serves plain HTTP and its default actions do not redirect to HTTPS",
            r.addr
        )));
    }
}

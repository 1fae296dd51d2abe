use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An Amazon MQ broker reachable from the internet: `publicly_accessible = true` on
    /// `aws_mq_broker`, `PubliclyAccessible: true` on CloudFormation
    /// `AWS::AmazonMQ::Broker`.
    ///
    /// ## Why it matters
    /// The broker's endpoints (AMQP, MQTT, STOMP, the web console) are open to everyone;
    /// only a username and password stand between the internet and the messages, which often
    /// carry orders, events and personal data.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_mq_broker" "events" {
    ///   broker_name         = "events"
    ///   engine_type         = "RabbitMQ"
    ///   engine_version      = "3.13"
    ///   host_instance_type  = "mq.t3.micro"
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `publicly_accessible = false` and reach the broker from inside the VPC (or through
    /// a VPN or private link).
    ///
    /// ## References
    /// - CWE-668
    /// - [AWS: accessing the Amazon MQ web console of a broker without public accessibility](https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/accessing-web-console-of-broker-without-private-subnet.html)
    /// - Checkov CKV_AWS_69
    pub static RULE = {
        id: "iac/mq-broker-public",
        code: "IAC109",
        title: "an Amazon MQ broker is publicly accessible",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_mq_broker", "publicly_accessible"),
        ("AWS::AmazonMQ::Broker", "PubliclyAccessible"),
    ] {
        for r in cx.of(&[rtype]) {
            if let Some(n) = r.body.get_direct(key)
                && n.as_bool() == Some(true)
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "broker `{}` is reachable from the internet (`{key} = true`)",
                    r.addr
                )));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::{all_ports, open_cidrs};
use crate::model::Resource;
use crate::node::Node;

use super::common::proto;

declare_rule! {
    /// ## What it finds
    /// A security group rule that lets the whole internet (`0.0.0.0/0` or `::/0`) reach every
    /// port: protocol `-1`/`all`, or a port range from 0 (or 1) to 65535. Rules are read
    /// wherever they are declared: `ingress` blocks of `aws_security_group`,
    /// `aws_security_group_rule` of type `ingress`, `aws_vpc_security_group_ingress_rule`, and
    /// CloudFormation `SecurityGroupIngress` (inline in `AWS::EC2::SecurityGroup` or as
    /// `AWS::EC2::SecurityGroupIngress`).
    ///
    /// ## Why it matters
    /// Every service the instance runs, including the ones nobody meant to publish (debug
    /// endpoints, databases, management agents), is reachable by anyone, and the security
    /// group no longer filters anything.
    ///
    /// ## Example
    /// ```hcl
    /// ingress {
    ///   from_port   = 0
    ///   to_port     = 0
    ///   protocol    = "-1"
    ///   cidr_blocks = ["0.0.0.0/0"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Open only the ports the service needs (usually 443), and only to the ranges that need
    /// them; put public services behind a load balancer.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    /// - Checkov CKV_AWS_277
    pub static RULE = {
        id: "iac/security-group-open-all-ports",
        code: "IAC061",
        title: "security group opens every port to the internet",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// The argument names of one syntax.
struct Keys {
    protocol: &'static str,
    from: &'static str,
    to: &'static str,
    cidrs: [&'static str; 2],
}

const TF: Keys = Keys {
    protocol: "protocol",
    from: "from_port",
    to: "to_port",
    cidrs: ["cidr_blocks", "ipv6_cidr_blocks"],
};

const TF_VPC: Keys = Keys {
    protocol: "ip_protocol",
    from: "from_port",
    to: "to_port",
    cidrs: ["cidr_ipv4", "cidr_ipv6"],
};

const CFN: Keys = Keys {
    protocol: "IpProtocol",
    from: "FromPort",
    to: "ToPort",
    cidrs: ["CidrIp", "CidrIpv6"],
};

fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, rule: &Node, k: &Keys) {
    let protocol = proto(rule.get(k.protocol));
    let from = rule.get(k.from).and_then(Node::as_num);
    let to = rule.get(k.to).and_then(Node::as_num);
    if !all_ports(protocol.as_deref(), from, to) {
        return;
    }
    let what = match (protocol.as_deref(), from, to) {
        (Some("-1" | "all"), _, _) => "every protocol".to_owned(),
        (p, Some(f), Some(t)) => format!("{} ports {f}-{t}", p.unwrap_or("")),
        (p, _, _) => format!("protocol {}", p.unwrap_or("")),
    };
    for key in k.cidrs {
        let Some(n) = rule.get(key) else { continue };
        let open = open_cidrs(Some(n));
        if open.is_empty() {
            continue;
        }
        out.push(cx.at(&RULE, r, n).message(format!(
            "`{}` lets {} reach every port ({})",
            r.addr,
            open.join(" and "),
            what.trim()
        )));
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for sg in cx.of(&["aws_security_group"]) {
        for rule in sg.body.all("ingress") {
            report(cx, out, sg, rule, &TF);
        }
    }
    for r in cx.of(&["aws_security_group_rule"]) {
        if r.str_at("type") == Some("ingress") {
            report(cx, out, r, &r.body, &TF);
        }
    }
    for r in cx.of(&["aws_vpc_security_group_ingress_rule"]) {
        report(cx, out, r, &r.body, &TF_VPC);
    }
    for sg in cx.of(&["AWS::EC2::SecurityGroup"]) {
        for rule in sg.body.all("SecurityGroupIngress") {
            report(cx, out, sg, rule, &CFN);
        }
    }
    for r in cx.of(&["AWS::EC2::SecurityGroupIngress"]) {
        report(cx, out, r, &r.body, &CFN);
    }
}

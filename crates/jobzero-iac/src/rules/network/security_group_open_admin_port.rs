use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::{open_cidrs, reaches};
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A security group rule that lets the whole internet (`0.0.0.0/0` or `::/0`) reach an
    /// administrative or database port: SSH 22, RDP 3389, Telnet 23, WinRM 5985/5986, VNC
    /// 5900, MySQL 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521, MongoDB 27017, Redis
    /// 6379, Elasticsearch 9200, Memcached 11211, Cassandra 9042, Kafka 9092. Rules are read
    /// wherever they are declared: `ingress` blocks of `aws_security_group`,
    /// `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`, and CloudFormation
    /// `SecurityGroupIngress` (inline or `AWS::EC2::SecurityGroupIngress`).
    ///
    /// ## Why it matters
    /// Internet-wide scanners find an open SSH or database port within minutes; from then
    /// on the only protection is the password, and the service's own vulnerabilities are
    /// exposed to everyone.
    ///
    /// ## Example
    /// ```hcl
    /// ingress {
    ///   from_port   = 22
    ///   to_port     = 22
    ///   protocol    = "tcp"
    ///   cidr_blocks = ["0.0.0.0/0"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Allow only known ranges (a VPN, a bastion's security group), or remove the rule and use
    /// SSM Session Manager for shell access.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: security group rules](https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)
    /// - Checkov CKV_AWS_24, CKV_AWS_25
    pub static RULE = {
        id: "iac/security-group-open-admin-port",
        code: "IAC060",
        title: "security group opens an administrative or database port to the internet",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// The ports reported, with what listens there.
const PORTS: &[(u16, &str)] = &[
    (22, "SSH"),
    (23, "Telnet"),
    (3389, "RDP"),
    (5985, "WinRM"),
    (5986, "WinRM"),
    (5900, "VNC"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (27017, "MongoDB"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
    (11211, "Memcached"),
    (9042, "Cassandra"),
    (9092, "Kafka"),
];

/// One ingress permission, whatever syntax declared it.
struct Ingress<'a> {
    resource: &'a Resource,
    node: &'a Node,
    protocol: Option<String>,
    from: Option<f64>,
    to: Option<f64>,
    cidrs: Vec<&'a str>,
}

fn proto(n: Option<&Node>) -> Option<String> {
    n.map(|n| match n.as_num() {
        Some(x) => x.to_string(),
        None => n.as_str().unwrap_or("").to_ascii_lowercase(),
    })
}

/// Every internet-open ingress permission of the file.
fn open_ingress<'a>(cx: &Cx<'a>) -> Vec<Ingress<'a>> {
    let mut out = Vec::new();
    let mut push = |resource: &'a Resource, node: &'a Node, p: &str, f: &str, t: &str, cidr_keys: &[&str]| {
        let cidrs: Vec<&str> = cidr_keys.iter().flat_map(|k| open_cidrs(node.get(k))).collect();
        // The finding points at the open range itself.
        let Some(at) = cidr_keys
            .iter()
            .filter_map(|k| node.get(k))
            .find(|n| !open_cidrs(Some(n)).is_empty())
        else {
            return;
        };
        out.push(Ingress {
            resource,
            node: at,
            protocol: proto(node.get(p)),
            from: node.get(f).and_then(Node::as_num),
            to: node.get(t).and_then(Node::as_num),
            cidrs,
        });
    };
    for sg in cx.of(&["aws_security_group"]) {
        for rule in sg.body.all("ingress") {
            push(sg, rule, "protocol", "from_port", "to_port", &["cidr_blocks", "ipv6_cidr_blocks"]);
        }
    }
    for r in cx.of(&["aws_security_group_rule"]) {
        if r.str_at("type") == Some("ingress") {
            push(r, &r.body, "protocol", "from_port", "to_port", &["cidr_blocks", "ipv6_cidr_blocks"]);
        }
    }
    for r in cx.of(&["aws_vpc_security_group_ingress_rule"]) {
        push(r, &r.body, "ip_protocol", "from_port", "to_port", &["cidr_ipv4", "cidr_ipv6"]);
    }
    for sg in cx.of(&["AWS::EC2::SecurityGroup"]) {
        for rule in sg.body.all("SecurityGroupIngress") {
            push(sg, rule, "IpProtocol", "FromPort", "ToPort", &["CidrIp", "CidrIpv6"]);
        }
    }
    for r in cx.of(&["AWS::EC2::SecurityGroupIngress"]) {
        push(r, &r.body, "IpProtocol", "FromPort", "ToPort", &["CidrIp", "CidrIpv6"]);
    }
    out
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for i in open_ingress(cx) {
        let hit: Vec<String> = PORTS
            .iter()
            .filter(|(port, _)| reaches(i.protocol.as_deref(), i.from, i.to, *port))
            .map(|(port, what)| format!("{port} ({what})"))
            .collect();
        if hit.is_empty() {
            continue;
        }
        let shown: Vec<&str> = hit.iter().take(4).map(String::as_str).collect();
        out.push(cx.at(&RULE, i.resource, i.node).message(format!(
            "`{}` lets {} reach port{} {}{}",
            i.resource.addr,
            i.cidrs.join(" and "),
            if hit.len() > 1 { "s" } else { "" },
            shown.join(", "),
            if hit.len() > 4 { format!(" and {} more", hit.len() - 4) } else { String::new() }
        )));
    }
}

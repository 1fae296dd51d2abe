use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::{open_cidrs, reaches};
use crate::model::Resource;
use crate::node::Node;

use super::common::proto;

declare_rule! {
    /// ## What it finds
    /// A network ACL entry that allows inbound TCP traffic from the whole internet
    /// (`0.0.0.0/0` or `::/0`) to SSH (22) or RDP (3389), by port range or with protocol
    /// `-1`: `ingress` blocks of `aws_network_acl` and `aws_default_network_acl`,
    /// `aws_network_acl_rule` with `egress` false, and CloudFormation
    /// `AWS::EC2::NetworkAclEntry` with `Egress` false. An entry is not reported when a `deny`
    /// entry of the same ACL with a lower rule number blocks the same port first.
    ///
    /// ## Why it matters
    /// The network ACL is the subnet's last line of defence behind the security groups; when
    /// it lets the internet reach administrative ports, a single permissive security group is
    /// enough to expose every instance of the subnet to brute force and exploits.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_network_acl_rule" "ssh" {
    ///   network_acl_id = aws_network_acl.public.id
    ///   rule_number    = 100
    ///   egress         = false
    ///   protocol       = "tcp"
    ///   rule_action    = "allow"
    ///   cidr_block     = "0.0.0.0/0"
    ///   from_port      = 22
    ///   to_port        = 22
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Allow administrative ports only from known ranges (a VPN, a bastion subnet), or deny
    /// them explicitly with a lower rule number, and use SSM Session Manager for shell access.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: control subnet traffic with network access control lists](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html)
    /// - Checkov CKV_AWS_231, CKV_AWS_232
    pub static RULE = {
        id: "iac/network-acl-open-admin-port",
        code: "IAC063",
        title: "network ACL allows SSH or RDP from the internet",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// The ports reported, with what listens there.
const PORTS: &[(u16, &str)] = &[(22, "SSH"), (3389, "RDP")];

/// The argument names of one syntax.
struct Keys {
    action: &'static str,
    number: &'static str,
    protocol: &'static str,
    from: &'static str,
    to: &'static str,
    cidrs: [&'static str; 2],
}

const TF_INLINE: Keys = Keys {
    action: "action",
    number: "rule_no",
    protocol: "protocol",
    from: "from_port",
    to: "to_port",
    cidrs: ["cidr_block", "ipv6_cidr_block"],
};

const TF_RULE: Keys = Keys {
    action: "rule_action",
    number: "rule_number",
    protocol: "protocol",
    from: "from_port",
    to: "to_port",
    cidrs: ["cidr_block", "ipv6_cidr_block"],
};

const CFN: Keys = Keys {
    action: "RuleAction",
    number: "RuleNumber",
    protocol: "Protocol",
    from: "PortRange.From",
    to: "PortRange.To",
    cidrs: ["CidrBlock", "Ipv6CidrBlock"],
};

/// One inbound entry, whatever syntax declared it.
struct Entry<'a> {
    r: &'a Resource,
    /// The ACL it belongs to (an address or a literal id), when known.
    acl: Option<String>,
    allow: bool,
    deny: bool,
    number: Option<f64>,
    protocol: Option<String>,
    from: Option<f64>,
    to: Option<f64>,
    /// The open ranges, by family (0 for IPv4, 1 for IPv6), with where they are written.
    open: Vec<(usize, &'a Node)>,
}

fn entry<'a>(r: &'a Resource, n: &'a Node, acl: Option<String>, k: &Keys) -> Entry<'a> {
    let action = n
        .at(k.action)
        .and_then(Node::as_str)
        .map(str::to_ascii_lowercase);
    let mut open = Vec::new();
    for (family, key) in k.cidrs.iter().enumerate() {
        if let Some(c) = n.at(key)
            && !open_cidrs(Some(c)).is_empty()
        {
            open.push((family, c));
        }
    }
    Entry {
        r,
        acl,
        allow: action.as_deref() == Some("allow"),
        deny: action.as_deref() == Some("deny"),
        number: n.at(k.number).and_then(Node::as_num),
        protocol: proto(n.at(k.protocol)),
        from: n.at(k.from).and_then(Node::as_num),
        to: n.at(k.to).and_then(Node::as_num),
        open,
    }
}

/// The ACL an entry's reference names.
fn acl_of(n: Option<&Node>) -> Option<String> {
    n.and_then(|n| n.as_ref().or_else(|| n.as_str()))
        .map(str::to_owned)
}

/// Whether `e` lets TCP traffic reach `port`.
fn covers(e: &Entry<'_>, port: u16) -> bool {
    matches!(e.protocol.as_deref(), Some("-1" | "all" | "tcp" | "6"))
        && reaches(e.protocol.as_deref(), e.from, e.to, port)
}

/// Whether a `deny` entry of the same ACL, evaluated first, blocks `port` from the open
/// range of `family`.
fn denied_first(e: &Entry<'_>, port: u16, family: usize, all: &[Entry<'_>]) -> bool {
    all.iter().any(|d| {
        d.deny
            && e.acl.is_some()
            && d.acl == e.acl
            && matches!((d.number, e.number), (Some(a), Some(b)) if a < b)
            && d.open.iter().any(|(f, _)| *f == family)
            && covers(d, port)
    })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let mut all = Vec::new();
    for r in cx.graph.of(&["aws_network_acl", "aws_default_network_acl"]) {
        for n in r.body.all("ingress") {
            all.push(entry(r, n, Some(r.addr.clone()), &TF_INLINE));
        }
    }
    for r in cx.graph.of(&["aws_network_acl_rule"]) {
        if r.at("egress").map_or(Some(false), Node::as_bool) == Some(false) {
            all.push(entry(r, &r.body, acl_of(r.at("network_acl_id")), &TF_RULE));
        }
    }
    for r in cx.graph.of(&["AWS::EC2::NetworkAclEntry"]) {
        if r.at("Egress").map_or(Some(false), Node::as_bool) == Some(false) {
            all.push(entry(r, &r.body, acl_of(r.at("NetworkAclId")), &CFN));
        }
    }
    for e in all.iter().filter(|e| e.allow && e.r.path == cx.path) {
        for (family, node) in &e.open {
            let hit: Vec<String> = PORTS
                .iter()
                .filter(|(port, _)| covers(e, *port) && !denied_first(e, *port, *family, &all))
                .map(|(port, what)| format!("{port} ({what})"))
                .collect();
            if hit.is_empty() {
                continue;
            }
            let open = open_cidrs(Some(*node));
            out.push(cx.at(&RULE, e.r, node).message(format!(
                "`{}` allows {} to reach port{} {}",
                e.r.addr,
                open.join(" and "),
                if hit.len() > 1 { "s" } else { "" },
                hit.join(" and ")
            )));
        }
    }
}

//! AWS helpers shared by rules.

use crate::node::Node;

/// Whether a CIDR is the whole IPv4 or IPv6 internet.
pub fn is_open_cidr(cidr: &str) -> bool {
    matches!(cidr.trim(), "0.0.0.0/0" | "::/0" | "0.0.0.0/00" | "::0/0")
}

/// The open CIDRs among the strings of `node` (a list or one string).
pub fn open_cidrs(node: Option<&Node>) -> Vec<&str> {
    node.map(|n| {
        n.strings()
            .into_iter()
            .filter(|c| is_open_cidr(c))
            .collect()
    })
    .unwrap_or_default()
}

/// Whether the port range `from..=to` (protocol `protocol`) reaches `port`. Protocol `-1` or
/// `all` means every port.
pub fn reaches(protocol: Option<&str>, from: Option<f64>, to: Option<f64>, port: u16) -> bool {
    if matches!(protocol, Some("-1" | "all" | "-1.0")) {
        return true;
    }
    if matches!(protocol, Some(p) if p.eq_ignore_ascii_case("icmp") || p == "1" || p == "icmpv6" || p == "58")
    {
        return false;
    }
    match (from, to) {
        (Some(f), Some(t)) => f <= f64::from(port) && f64::from(port) <= t,
        (Some(f), None) => f == f64::from(port),
        _ => false,
    }
}

/// Whether the range covers every port.
pub fn all_ports(protocol: Option<&str>, from: Option<f64>, to: Option<f64>) -> bool {
    matches!(protocol, Some("-1" | "all" | "-1.0"))
        || matches!((from, to), (Some(f), Some(t)) if f <= 1.0 && t >= 65535.0)
}

//! Helpers shared by the Azure and Google Cloud rules: firewall port ranges, public IAM
//! principals, IAM policy documents and version strings.

use crate::model::Graph;
use crate::node::{Node, Val};

/// Administrative and database ports, with what listens there (the list of the security
/// group rule).
pub(super) const ADMIN_PORTS: &[(u32, &str)] = &[
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

/// Every port.
pub(super) const ALL_PORTS: (u32, u32) = (0, 65535);

/// A port or port range as firewall rules write it: `22`, `"22"`, `"20-30"`, `"*"`.
pub(super) fn port_range(n: &Node) -> Option<(u32, u32)> {
    if let Some(s) = n.as_str() {
        let s = s.trim();
        if s == "*" {
            return Some(ALL_PORTS);
        }
        if let Some((a, b)) = s.split_once('-') {
            let a: u32 = a.trim().parse().ok()?;
            let b: u32 = b.trim().parse().ok()?;
            return Some((a.min(b), a.max(b)));
        }
        let p: u32 = s.parse().ok()?;
        return Some((p, p));
    }
    let x = n.as_num()?;
    if !(0.0..=65535.0).contains(&x) || x.fract() != 0.0 {
        return None;
    }
    let p = x as u32;
    Some((p, p))
}

/// The port ranges of a list of ranges, or of one range (what is not known is skipped).
pub(super) fn port_ranges(n: &Node) -> Vec<(u32, u32)> {
    match &n.val {
        Val::List(items) => items.iter().filter_map(port_range).collect(),
        _ => port_range(n).into_iter().collect(),
    }
}

/// The administrative ports that one of `ranges` covers, as `22 (SSH)`.
pub(super) fn admin_ports_in(ranges: &[(u32, u32)]) -> Vec<String> {
    ADMIN_PORTS
        .iter()
        .filter(|(port, _)| ranges.iter().any(|(from, to)| from <= port && port <= to))
        .map(|(port, what)| format!("{port} ({what})"))
        .collect()
}

/// `port 22 (SSH)`, or `ports 22 (SSH), 3389 (RDP) and 3 more`.
pub(super) fn describe_ports(hit: &[String]) -> String {
    let shown: Vec<&str> = hit.iter().take(4).map(String::as_str).collect();
    let more = if hit.len() > 4 {
        format!(" and {} more", hit.len() - 4)
    } else {
        String::new()
    };
    format!(
        "port{} {}{}",
        if hit.len() > 1 { "s" } else { "" },
        shown.join(", "),
        more
    )
}

/// Whether an IAM member names everyone: `allUsers` (anyone on the internet) or
/// `allAuthenticatedUsers` (anyone with a Google account).
pub(super) fn is_public_member(member: &str) -> bool {
    matches!(member.trim(), "allUsers" | "allAuthenticatedUsers")
}

/// Who a public member is, in words.
pub(super) fn who(member: &str) -> &'static str {
    if member.trim() == "allUsers" {
        "anyone on the internet"
    } else {
        "anyone with a Google account"
    }
}

/// The bindings (maps with `role` and `members`) of an `*_iam_policy` resource's
/// `policy_data`: the `binding` blocks of the `data.google_iam_policy` it refers to, or the
/// `bindings` of a JSON document (a `jsonencode` map or a JSON string).
pub(super) fn policy_bindings(graph: &Graph, policy_data: &Node) -> Vec<Node> {
    match &policy_data.val {
        Val::Ref(addr) => match graph.get(addr) {
            Some(d) => d.body.all("binding").into_iter().cloned().collect(),
            None => Vec::new(),
        },
        Val::Map(_) => policy_data.all("bindings").into_iter().cloned().collect(),
        Val::Str(s) => {
            let Ok(json) = serde_json::from_str::<serde_json::Value>(s) else {
                return Vec::new();
            };
            let doc = crate::terraform::from_json(&json, policy_data.pos, &policy_data.route);
            let bindings: Vec<Node> = doc.all("bindings").into_iter().cloned().collect();
            bindings
        }
        _ => Vec::new(),
    }
}

/// A version written as a string or a number (`"1.2"`, `1.2`), as a string (`1.0` for
/// the number 1).
pub(super) fn version(n: &Node) -> Option<String> {
    match &n.val {
        Val::Str(s) => Some(s.trim().to_owned()),
        Val::Num(x) => Some(format!("{x:.1}")),
        _ => None,
    }
}

/// Whether the known string of `n` is `want`, ignoring case.
pub(super) fn text_is(n: Option<&Node>, want: &str) -> bool {
    n.and_then(Node::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case(want))
}

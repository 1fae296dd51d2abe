use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{object, object_annotation, text};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::aws::is_open_cidr;
use crate::node::{Node, Val};

declare_rule! {
    /// ## What it finds
    /// A `Service` of `type: LoadBalancer` that any address can reach: no
    /// `spec.loadBalancerSourceRanges` (nor the
    /// `service.beta.kubernetes.io/load-balancer-source-ranges` annotation), or a range of
    /// `0.0.0.0/0` or `::/0`. Internal load balancers (the AWS, GKE, Azure, OCI, OpenStack and
    /// IBM annotations) are skipped. A public web endpoint is often intended, so the severity
    /// follows the ports: low when every port is a web port (80, 443, 8080, 8443), high when
    /// one is an administrative or database port (SSH, RDP, MySQL, PostgreSQL, Redis, MongoDB,
    /// Elasticsearch, etcd, the kubelet, ...), medium otherwise.
    ///
    /// ## Why it matters
    /// A load balancer without source ranges is on the internet: everything behind it is
    /// found by scanners within minutes. For a website that is the point; for a database, an
    /// admin console, a metrics endpoint or an internal API it is an exposure that only the
    /// application's own authentication guards.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// spec:
    ///   type: LoadBalancer
    ///   ports:
    ///     - port: 5432
    /// ```
    ///
    /// ## Remediation
    /// Restrict `loadBalancerSourceRanges` to the networks that need the service, make the load
    /// balancer internal, or expose HTTP services through an Ingress with TLS and keep the
    /// Service `ClusterIP`.
    ///
    /// ```yaml
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerSourceRanges: ["203.0.113.0/24"]
    /// ```
    ///
    /// ## References
    /// - CWE-668
    /// - [Kubernetes: Service type LoadBalancer](https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer)
    /// - [Kubernetes: configure a firewall for your cloud provider](https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/)
    pub static RULE = {
        id: "iac/service-load-balancer-open",
        code: "IAC133",
        title: "load balancer service is reachable from any address",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// Annotations that make a cloud load balancer internal, with the value that does (`None`:
/// any value but `false`).
const INTERNAL: &[(&str, Option<&str>)] = &[
    ("service.beta.kubernetes.io/aws-load-balancer-internal", None),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        Some("internal"),
    ),
    ("networking.gke.io/load-balancer-type", Some("internal")),
    ("cloud.google.com/load-balancer-type", Some("internal")),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        Some("true"),
    ),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        Some("true"),
    ),
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        Some("true"),
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        Some("private"),
    ),
];

/// Web ports: a public load balancer on them is usually intended.
const WEB: &[f64] = &[80.0, 443.0, 8080.0, 8443.0];

/// Administrative and database ports that should never face the internet.
const ADMIN: &[(f64, &str)] = &[
    (22.0, "SSH"),
    (23.0, "Telnet"),
    (3389.0, "RDP"),
    (5900.0, "VNC"),
    (5985.0, "WinRM"),
    (5986.0, "WinRM"),
    (3306.0, "MySQL"),
    (5432.0, "PostgreSQL"),
    (1433.0, "SQL Server"),
    (1521.0, "Oracle"),
    (27017.0, "MongoDB"),
    (6379.0, "Redis"),
    (9200.0, "Elasticsearch"),
    (11211.0, "Memcached"),
    (9042.0, "Cassandra"),
    (9092.0, "Kafka"),
    (5984.0, "CouchDB"),
    (2379.0, "etcd"),
    (10250.0, "kubelet"),
    (2375.0, "Docker"),
    (2376.0, "Docker"),
];

/// Whether the Service's annotations make its load balancer internal.
fn internal(r: &crate::model::Resource) -> bool {
    INTERNAL.iter().any(|(key, want)| {
        let Some(value) = object_annotation(r, key).and_then(text) else {
            return false;
        };
        match want {
            Some(w) => value.trim().eq_ignore_ascii_case(w),
            None => !value.trim().eq_ignore_ascii_case("false"),
        }
    })
}

/// What a list of source ranges allows.
enum Ranges<'a> {
    /// Any address, through this node.
    Open(&'a Node),
    /// Only the listed ranges (or ranges not known).
    Restricted,
    /// Nothing is listed.
    Absent,
}

/// `spec.loadBalancerSourceRanges`.
fn spec_ranges(n: Option<&Node>) -> Ranges<'_> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Ranges::Absent;
    };
    match &n.val {
        Val::List(items) if items.is_empty() => Ranges::Absent,
        Val::List(items) => match items
            .iter()
            .find(|i| i.as_str().is_some_and(is_open_cidr))
        {
            Some(i) => Ranges::Open(i),
            None => Ranges::Restricted,
        },
        Val::Str(s) if is_open_cidr(s) => Ranges::Open(n),
        Val::Str(s) if s.trim().is_empty() => Ranges::Absent,
        _ => Ranges::Restricted,
    }
}

/// The `service.beta.kubernetes.io/load-balancer-source-ranges` annotation: a comma-separated
/// list.
fn annotation_ranges(n: Option<&Node>) -> Ranges<'_> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Ranges::Absent;
    };
    match n.as_str() {
        Some(s) if s.split(',').any(is_open_cidr) => Ranges::Open(n),
        Some(s) if s.trim().is_empty() => Ranges::Absent,
        _ => Ranges::Restricted,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["Service"]) {
        let Some(ty) = r.at("spec.type") else {
            continue;
        };
        if ty.as_str() != Some("LoadBalancer") || internal(r) {
            continue;
        }
        // Where the open range is written: the spec's list, the annotation, or nowhere.
        let at: &Node = match spec_ranges(r.at("spec.loadBalancerSourceRanges")) {
            Ranges::Open(n) => n,
            Ranges::Restricted => continue,
            Ranges::Absent => match annotation_ranges(object_annotation(
                r,
                "service.beta.kubernetes.io/load-balancer-source-ranges",
            )) {
                Ranges::Open(n) => n,
                Ranges::Restricted => continue,
                Ranges::Absent => ty,
            },
        };
        let ports: Vec<f64> = r
            .at("spec")
            .map(|s| s.all("ports"))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.get_direct("port").and_then(Node::as_num))
            .collect();
        let shown: Vec<String> = ports.iter().take(6).map(|p| format!("{p}")).collect();
        let admin: Vec<String> = ADMIN
            .iter()
            .filter(|(port, _)| ports.contains(port))
            .map(|(port, what)| format!("{port} ({what})"))
            .collect();
        let whom = if std::ptr::eq(at, ty) {
            "any address (no `loadBalancerSourceRanges`)".to_owned()
        } else {
            format!("any address (`{at}`)")
        };
        let builder = cx.at(&RULE, r, at);
        if !admin.is_empty() {
            out.push(builder.severity(Severity::High).message(format!(
                "{} is a load balancer that lets {whom} reach port {}",
                object(r),
                admin.join(", ")
            )));
        } else if !ports.is_empty() && ports.iter().all(|p| WEB.contains(p)) {
            out.push(builder.severity(Severity::Low).message(format!(
                "{} is a load balancer that lets {whom} reach web port {}; fine for a public site, otherwise restrict it",
                object(r),
                shown.join(", ")
            )));
        } else {
            out.push(builder.message(format!(
                "{} is a load balancer that lets {whom} reach port {}",
                object(r),
                if shown.is_empty() {
                    "(none listed)".to_owned()
                } else {
                    shown.join(", ")
                }
            )));
        }
    }
}

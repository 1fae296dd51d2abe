use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::support::{object, object_annotation, text};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::{Node, Val};

declare_rule! {
    /// ## What it finds
    /// An `Ingress` without `spec.tls` (absent or empty): its hosts are served over plain
    /// HTTP. Ingresses whose controller terminates TLS from an annotation are skipped: an AWS
    /// load balancer certificate (`alb.ingress.kubernetes.io/certificate-arn`, or an `HTTPS`
    /// listener in `alb.ingress.kubernetes.io/listen-ports`), GKE managed or pre-shared
    /// certificates, an Azure Application Gateway certificate, Traefik's `router.tls`, or
    /// `kubernetes.io/ingress.allow-http: "false"`.
    ///
    /// ## Why it matters
    /// Without TLS, credentials, session cookies and personal data cross the network in
    /// clear text, and anyone on the path (a public Wi-Fi, a compromised router, the cloud
    /// network) can read or change them, or inject content into the pages served.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: shop
    ///                 port:
    ///                   number: 80
    /// ```
    ///
    /// ## Remediation
    /// Add a `spec.tls` entry for the hosts with a certificate Secret (cert-manager issues and
    /// renews one from an annotation), and redirect HTTP to HTTPS.
    ///
    /// ```yaml
    /// spec:
    ///   tls:
    ///     - hosts: ["shop.example.com"]
    ///       secretName: shop-tls
    /// ```
    ///
    /// ## References
    /// - CWE-319
    /// - [Kubernetes: Ingress TLS](https://kubernetes.io/docs/concepts/services-networking/ingress/#tls)
    pub static RULE = {
        id: "iac/ingress-without-tls",
        code: "IAC134",
        title: "ingress serves plain HTTP without TLS",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::TLS,
    }
}

/// Whether an annotation tells the ingress controller to terminate TLS itself.
fn tls_by_annotation(r: &Resource) -> bool {
    let get = |key: &str| object_annotation(r, key).and_then(text);
    let present = |key: &str| get(key).is_some_and(|v| !v.trim().is_empty());
    present("alb.ingress.kubernetes.io/certificate-arn")
        || get("alb.ingress.kubernetes.io/listen-ports").is_some_and(|v| v.contains("HTTPS"))
        || present("networking.gke.io/managed-certificates")
        || present("ingress.gcp.kubernetes.io/pre-shared-cert")
        || present("appgw.ingress.kubernetes.io/appgw-ssl-certificate")
        || get("traefik.ingress.kubernetes.io/router.tls")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || get("traefik.ingress.kubernetes.io/router.entrypoints")
            .is_some_and(|v| v.contains("websecure"))
        || get("kubernetes.io/ingress.allow-http")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["Ingress"]) {
        let Some(spec) = r.at("spec") else {
            continue;
        };
        match spec.get_direct("tls") {
            Some(t) if !t.is_known() => continue,
            Some(t) if matches!(&t.val, Val::List(items) if !items.is_empty()) => continue,
            Some(t) if matches!(&t.val, Val::Map(_)) => continue,
            _ => {}
        }
        if tls_by_annotation(r) {
            continue;
        }
        let hosts: Vec<String> = spec
            .all("rules")
            .into_iter()
            .filter_map(|rule| rule.get_direct("host").and_then(Node::as_str))
            .take(3)
            .map(|h| format!("`{h}`"))
            .collect();
        let what = if hosts.is_empty() {
            "its routes".to_owned()
        } else {
            format!("host {}", hosts.join(", "))
        };
        out.push(cx.missing(&RULE, r, "spec.tls").message(format!(
            "{} has no `spec.tls`, so it serves {what} over plain HTTP",
            object(r)
        )));
    }
}

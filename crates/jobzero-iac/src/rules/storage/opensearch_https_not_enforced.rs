use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, SEARCH_DOMAINS, domain_key, find, report_explicit_off};

declare_rule! {
    /// ## What it finds
    /// An OpenSearch or Elasticsearch domain endpoint that accepts plain HTTP or old TLS:
    /// `enforce_https = false`, or a `tls_security_policy` that allows TLS 1.0
    /// (`Policy-Min-TLS-1-0-2019-07`), in `domain_endpoint_options` of
    /// `aws_opensearch_domain` and `aws_elasticsearch_domain`; `EnforceHTTPS` and
    /// `TLSSecurityPolicy` of `DomainEndpointOptions` on CloudFormation
    /// `AWS::OpenSearchService::Domain` and `AWS::Elasticsearch::Domain`. Only explicit values
    /// are reported.
    ///
    /// ## Why it matters
    /// Search requests carry credentials (basic auth, signed headers) and return documents;
    /// over plain HTTP or TLS 1.0 they can be read or altered on the network path.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name = "search"
    ///   domain_endpoint_options {
    ///     enforce_https       = false
    ///     tls_security_policy = "Policy-Min-TLS-1-0-2019-07"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `enforce_https = true` and `tls_security_policy = "Policy-Min-TLS-1-2-2019-07"` (or
    /// `Policy-Min-TLS-1-2-PFS-2023-10`).
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: Amazon OpenSearch Service domain endpoint options](https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html)
    /// - Checkov CKV_AWS_83
    /// - Checkov CKV_AWS_228
    pub static RULE = {
        id: "iac/opensearch-https-not-enforced",
        code: "IAC045",
        title: "search domain endpoint accepts plain HTTP or TLS 1.0",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(SEARCH_DOMAINS) {
        let https = domain_key(
            r,
            "domain_endpoint_options.enforce_https",
            "DomainEndpointOptions.EnforceHTTPS",
        );
        if let Some(f) = report_explicit_off(
            cx,
            &RULE,
            r,
            https,
            "clients can send requests and credentials over plain HTTP",
        ) {
            out.push(f);
        }
        let policy = domain_key(
            r,
            "domain_endpoint_options.tls_security_policy",
            "DomainEndpointOptions.TLSSecurityPolicy",
        );
        if let Found::Value(n) = find(&r.body, policy)
            && n.as_str()
                .is_some_and(|p| p.contains("TLS-1-0") || p.contains("TLS-1-1"))
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` sets `{policy}` to `{n}`, which still accepts TLS 1.0 and 1.1",
                r.addr
            )));
        }
    }
}

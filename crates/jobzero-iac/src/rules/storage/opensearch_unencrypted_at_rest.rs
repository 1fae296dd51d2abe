use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{SEARCH_DOMAINS, Switch, domain_key, fine_grained_access, report_off, switch};

declare_rule! {
    /// ## What it finds
    /// An OpenSearch or Elasticsearch domain without encryption at rest: no `encrypt_at_rest`
    /// block, or `enabled = false`, on `aws_opensearch_domain` and `aws_elasticsearch_domain`;
    /// `EncryptionAtRestOptions.Enabled` on CloudFormation `AWS::OpenSearchService::Domain`
    /// and `AWS::Elasticsearch::Domain`. Domains with fine-grained access control, which
    /// requires encryption at rest, are reported only when they turn it off explicitly.
    ///
    /// ## Why it matters
    /// Search indices hold copies of documents, logs and customer records. Without
    /// encryption at rest, the indices, swap files and automated snapshots are stored in
    /// clear, and encryption cannot be added without recreating the domain on old versions.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name    = "search"
    ///   engine_version = "OpenSearch_2.13"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add `encrypt_at_rest { enabled = true }`, with `kms_key_id` for a customer-managed key.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encryption of data at rest for Amazon OpenSearch Service](https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html)
    /// - Checkov CKV_AWS_5
    pub static RULE = {
        id: "iac/opensearch-unencrypted-at-rest",
        code: "IAC043",
        title: "search domain not encrypted at rest",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(SEARCH_DOMAINS) {
        let key = domain_key(
            r,
            "encrypt_at_rest.enabled",
            "EncryptionAtRestOptions.Enabled",
        );
        if fine_grained_access(r) && matches!(switch(&r.body, key), Switch::Default) {
            continue;
        }
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "its indices and snapshots are stored unencrypted",
        ) {
            out.push(f);
        }
    }
}

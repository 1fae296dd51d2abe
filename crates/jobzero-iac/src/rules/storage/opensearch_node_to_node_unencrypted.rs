use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{SEARCH_DOMAINS, Switch, domain_key, fine_grained_access, report_off, switch};

declare_rule! {
    /// ## What it finds
    /// An OpenSearch or Elasticsearch domain whose nodes talk to each other without TLS: no
    /// `node_to_node_encryption` block, or `enabled = false`, on `aws_opensearch_domain` and
    /// `aws_elasticsearch_domain`; `NodeToNodeEncryptionOptions.Enabled` on CloudFormation
    /// `AWS::OpenSearchService::Domain` and `AWS::Elasticsearch::Domain`. Domains with
    /// fine-grained access control, which requires it, are reported only when they turn it
    /// off explicitly.
    ///
    /// ## Why it matters
    /// Every indexing request, search and shard replication travels between nodes. Without
    /// node-to-node encryption this traffic, documents included, crosses the VPC network in
    /// clear.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name    = "search"
    ///   engine_version = "OpenSearch_2.13"
    ///   node_to_node_encryption {
    ///     enabled = false
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add `node_to_node_encryption { enabled = true }`.
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: node-to-node encryption for Amazon OpenSearch Service](https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html)
    /// - Checkov CKV_AWS_6
    pub static RULE = {
        id: "iac/opensearch-node-to-node-unencrypted",
        code: "IAC044",
        title: "search domain nodes communicate without TLS",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(SEARCH_DOMAINS) {
        let key = domain_key(
            r,
            "node_to_node_encryption.enabled",
            "NodeToNodeEncryptionOptions.Enabled",
        );
        if fine_grained_access(r) && matches!(switch(&r.body, key), Switch::Default) {
            continue;
        }
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "traffic between its nodes, documents included, is not encrypted",
        ) {
            out.push(f);
        }
    }
}

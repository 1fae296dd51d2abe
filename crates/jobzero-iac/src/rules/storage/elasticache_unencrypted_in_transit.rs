use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, find, report_off};

declare_rule! {
    /// ## What it finds
    /// An ElastiCache (Redis OSS or Valkey) replication group that accepts unencrypted
    /// connections: `transit_encryption_enabled` set to `false` or left out (default
    /// `false`), or `transit_encryption_mode = "preferred"` (TLS and plain text both
    /// accepted), on `aws_elasticache_replication_group`; `TransitEncryptionEnabled` and
    /// `TransitEncryptionMode` on a CloudFormation `AWS::ElastiCache::ReplicationGroup`.
    ///
    /// ## Why it matters
    /// Without TLS, the AUTH token and every cached value (sessions, tokens, rows) cross the
    /// network in clear, and anyone on the path can read or change them. The AUTH token
    /// itself can only be used with transit encryption.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id = "sessions"
    ///   description          = "sessions"
    ///   node_type            = "cache.t4g.small"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `transit_encryption_enabled = true` with `transit_encryption_mode = "required"`,
    /// and connect with TLS (`rediss://`).
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: ElastiCache in-transit encryption](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html)
    /// - Checkov CKV_AWS_30
    pub static RULE = {
        id: "iac/elasticache-unencrypted-in-transit",
        code: "IAC040",
        title: "cache replication group accepts connections without TLS",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_elasticache_replication_group",
        "AWS::ElastiCache::ReplicationGroup",
    ]) {
        let (key, mode) = if r.rtype == "aws_elasticache_replication_group" {
            ("transit_encryption_enabled", "transit_encryption_mode")
        } else {
            ("TransitEncryptionEnabled", "TransitEncryptionMode")
        };
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "clients connect without TLS and the cached data crosses the network in clear",
        ) {
            out.push(f);
            continue;
        }
        if let Found::Value(n) = find(&r.body, mode)
            && n.as_str()
                .is_some_and(|m| m.eq_ignore_ascii_case("preferred"))
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` sets `{mode}` to `{n}`, so clients may still connect without TLS",
                r.addr
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Switch, lower, report_off, switch};

declare_rule! {
    /// ## What it finds
    /// An ElastiCache (Redis OSS) replication group without encryption at rest:
    /// `at_rest_encryption_enabled` set to `false` or left out (default `false` for the
    /// `redis` engine) on `aws_elasticache_replication_group`, `AtRestEncryptionEnabled` on a
    /// CloudFormation `AWS::ElastiCache::ReplicationGroup`. Valkey groups, encrypted by
    /// default, are reported only when they turn it off.
    ///
    /// ## Why it matters
    /// Caches hold sessions, tokens and copies of database rows. Without encryption at rest,
    /// the data written to disk during synchronisation, swap and backups (and the snapshots
    /// exported to S3) is in clear. It can only be chosen when the group is created.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id = "sessions"
    ///   description          = "sessions"
    ///   engine               = "redis"
    ///   node_type            = "cache.t4g.small"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `at_rest_encryption_enabled = true`, with `kms_key_id` for a customer-managed key
    /// (this replaces the group).
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: at-rest encryption in ElastiCache](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html)
    /// - Checkov CKV_AWS_29
    pub static RULE = {
        id: "iac/elasticache-unencrypted-at-rest",
        code: "IAC039",
        title: "cache replication group not encrypted at rest",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_elasticache_replication_group",
        "AWS::ElastiCache::ReplicationGroup",
    ]) {
        let (key, engine) = if r.rtype == "aws_elasticache_replication_group" {
            ("at_rest_encryption_enabled", "engine")
        } else {
            ("AtRestEncryptionEnabled", "Engine")
        };
        let valkey = lower(&r.body, engine).as_deref() == Some("valkey");
        if valkey && matches!(switch(&r.body, key), Switch::Default) {
            continue;
        }
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "its backups and the data it writes to disk are unencrypted",
        ) {
            out.push(f);
        }
    }
}

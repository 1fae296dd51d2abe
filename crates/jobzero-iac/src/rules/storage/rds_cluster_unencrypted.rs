use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Switch, lower, report_off, switch, unset};

declare_rule! {
    /// ## What it finds
    /// An RDS DB cluster (Aurora, or a Multi-AZ DB cluster) whose storage is not encrypted:
    /// `storage_encrypted` set to `false` or left out (default `false` for provisioned
    /// clusters) on `aws_rds_cluster`, `StorageEncrypted` on a CloudFormation
    /// `AWS::RDS::DBCluster`. Not reported: Aurora Serverless v1 clusters (`engine_mode =
    /// "serverless"`, always encrypted) and, when the setting is left out, clusters restored
    /// from a snapshot or a point in time, cross-region replicas and global cluster members,
    /// which inherit their source's encryption.
    ///
    /// ## Why it matters
    /// The cluster's encryption covers its shared storage, every instance, backups and
    /// snapshots. Unencrypted snapshots can be shared or copied to another account and
    /// restored by whoever receives them, and encryption cannot be added to a running cluster.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_rds_cluster" "reports" {
    ///   cluster_identifier = "reports"
    ///   engine             = "aurora-postgresql"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `storage_encrypted = true`, with `kms_key_id` for a customer-managed key.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encrypting Amazon Aurora resources](https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html)
    /// - Checkov CKV_AWS_96
    pub static RULE = {
        id: "iac/rds-cluster-unencrypted",
        code: "IAC022",
        title: "unencrypted RDS or Aurora DB cluster storage",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

/// Arguments of a Terraform cluster that make it inherit its source's encryption.
const TF_INHERIT: &[&str] = &[
    "snapshot_identifier",
    "replication_source_identifier",
    "global_cluster_identifier",
    "restore_to_point_in_time",
];

/// Properties of a template cluster that make it inherit its source's encryption.
const CFN_INHERIT: &[&str] = &[
    "SnapshotIdentifier",
    "SourceDBClusterIdentifier",
    "ReplicationSourceIdentifier",
    "GlobalClusterIdentifier",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_rds_cluster", "AWS::RDS::DBCluster"]) {
        let (key, mode, inherit) = if r.rtype == "aws_rds_cluster" {
            ("storage_encrypted", "engine_mode", TF_INHERIT)
        } else {
            ("StorageEncrypted", "EngineMode", CFN_INHERIT)
        };
        if lower(&r.body, mode).as_deref() == Some("serverless") {
            continue;
        }
        if matches!(switch(&r.body, key), Switch::Default)
            && inherit.iter().any(|k| !unset(&r.body, k))
        {
            continue;
        }
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "its shared storage, backups and snapshots are stored unencrypted",
        ) {
            out.push(f);
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Switch, report_off, switch, unset};

declare_rule! {
    /// ## What it finds
    /// An Amazon Neptune cluster whose storage is not encrypted: `storage_encrypted` set to
    /// `false` or left out (default `false`) on `aws_neptune_cluster`, `StorageEncrypted` on
    /// a CloudFormation `AWS::Neptune::DBCluster`. When the setting is left out, clusters
    /// restored from a snapshot or a point in time, replicas and global cluster members
    /// inherit their source's encryption and are not reported.
    ///
    /// ## Why it matters
    /// The cluster's encryption covers its graph storage, backups, snapshots and replicas.
    /// Unencrypted snapshots can be shared or copied and restored by whoever receives them,
    /// and encryption cannot be turned on for an existing cluster.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_neptune_cluster" "graph" {
    ///   cluster_identifier = "graph"
    ///   engine             = "neptune"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `storage_encrypted = true`, with `kms_key_arn` for a customer-managed key.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encrypting Neptune resources at rest](https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html)
    /// - Checkov CKV_AWS_44
    pub static RULE = {
        id: "iac/neptune-cluster-unencrypted",
        code: "IAC029",
        title: "unencrypted Neptune cluster storage",
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
const CFN_INHERIT: &[&str] = &["SnapshotIdentifier", "SourceDBClusterIdentifier"];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_neptune_cluster", "AWS::Neptune::DBCluster"]) {
        let (key, inherit) = if r.rtype == "aws_neptune_cluster" {
            ("storage_encrypted", TF_INHERIT)
        } else {
            ("StorageEncrypted", CFN_INHERIT)
        };
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
            "its graph data, backups and snapshots are stored unencrypted",
        ) {
            out.push(f);
        }
    }
}

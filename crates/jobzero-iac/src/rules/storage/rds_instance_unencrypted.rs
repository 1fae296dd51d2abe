use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;

use super::util::{Switch, lower, report_off, switch, unset};

declare_rule! {
    /// ## What it finds
    /// An RDS DB instance whose storage is not encrypted: `storage_encrypted` set to `false`
    /// or left out (default `false`) on `aws_db_instance`, `StorageEncrypted` on a
    /// CloudFormation `AWS::RDS::DBInstance`. Not reported: instances of an Aurora cluster
    /// (`db_cluster_identifier`/`DBClusterIdentifier`, or an `aurora` engine), which take
    /// the cluster's encryption (see `iac/rds-cluster-unencrypted`), and, when the setting is
    /// left out, read replicas and instances restored from a snapshot or a point in time,
    /// which inherit their source's.
    ///
    /// ## Why it matters
    /// Encryption covers the storage, its automated backups, read replicas and snapshots. An
    /// unencrypted database's snapshots can be shared or copied to another account and
    /// restored by whoever receives them; encryption cannot be switched on later without a
    /// snapshot, copy and restore, with downtime.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier     = "orders"
    ///   engine         = "postgres"
    ///   instance_class = "db.t4g.medium"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `storage_encrypted = true`, with `kms_key_id` for a customer-managed key.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encrypting Amazon RDS resources](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html)
    /// - Checkov CKV_AWS_16
    pub static RULE = {
        id: "iac/rds-instance-unencrypted",
        code: "IAC021",
        title: "unencrypted RDS DB instance storage",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

/// Arguments of a Terraform instance that make it inherit its source's encryption.
const TF_INHERIT: &[&str] = &[
    "replicate_source_db",
    "snapshot_identifier",
    "restore_to_point_in_time",
];

/// Properties of a template instance that make it inherit its source's encryption.
const CFN_INHERIT: &[&str] = &[
    "SourceDBInstanceIdentifier",
    "DBSnapshotIdentifier",
    "SourceDBInstanceAutomatedBackupsArn",
    "SourceDbiResourceId",
    "SourceDBClusterIdentifier",
];

/// Whether any of `keys` is written (or unknown) on `r`.
fn any_set(r: &Resource, keys: &[&str]) -> bool {
    keys.iter().any(|k| !unset(&r.body, k))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_db_instance", "AWS::RDS::DBInstance"]) {
        let tf = r.rtype == "aws_db_instance";
        let (key, cluster, engine, inherit) = if tf {
            (
                "storage_encrypted",
                "db_cluster_identifier",
                "engine",
                TF_INHERIT,
            )
        } else {
            (
                "StorageEncrypted",
                "DBClusterIdentifier",
                "Engine",
                CFN_INHERIT,
            )
        };
        if any_set(r, &[cluster]) || lower(&r.body, engine).is_some_and(|e| e.starts_with("aurora"))
        {
            continue;
        }
        if matches!(switch(&r.body, key), Switch::Default) && any_set(r, inherit) {
            continue;
        }
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "its data, backups and snapshots are stored unencrypted",
        ) {
            out.push(f);
        }
    }
}

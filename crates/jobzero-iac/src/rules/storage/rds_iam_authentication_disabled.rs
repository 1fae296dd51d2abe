use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;

use super::util::{lower, report_off, unset};

declare_rule! {
    /// ## What it finds
    /// A MySQL, MariaDB or PostgreSQL database (RDS instance, Aurora or Multi-AZ cluster)
    /// without IAM database authentication: `iam_database_authentication_enabled` set to
    /// `false` or left out (default `false`) on `aws_db_instance` and `aws_rds_cluster`,
    /// `EnableIAMDatabaseAuthentication` on CloudFormation `AWS::RDS::DBInstance` and
    /// `AWS::RDS::DBCluster`. Only engines that support it are reported (an Aurora cluster
    /// without `engine` defaults to Aurora MySQL); instances of a cluster (which follow the
    /// cluster) and read replicas are not.
    ///
    /// ## Why it matters
    /// Without IAM authentication every application and person connects with a long-lived
    /// database password, stored in configuration, copied between environments and rarely
    /// rotated. IAM authentication replaces it with 15-minute tokens tied to a role, revoked
    /// with the role and recorded in CloudTrail.
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
    /// Set `iam_database_authentication_enabled = true`, grant `rds-db:connect` to the roles
    /// that need the database, and move applications to `GenerateDBAuthToken`.
    ///
    /// ## References
    /// - CWE-798
    /// - [AWS: IAM database authentication](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html)
    /// - Checkov CKV_AWS_161
    /// - Checkov CKV_AWS_162
    pub static RULE = {
        id: "iac/rds-iam-authentication-disabled",
        code: "IAC025",
        title: "database without IAM authentication",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::CRED_LONGTERM,
    }
}

/// Whether an engine name supports IAM database authentication.
fn supported(engine: &str, cluster: bool) -> bool {
    matches!(engine, "mysql" | "mariadb" | "postgres") || (cluster && engine.starts_with("aurora"))
}

/// Whether `r` runs an engine that supports IAM authentication and decides it (not a member of
/// a cluster, not a replica).
fn applies(r: &Resource) -> bool {
    match r.rtype.as_str() {
        "aws_db_instance" => {
            unset(&r.body, "db_cluster_identifier")
                && unset(&r.body, "replicate_source_db")
                && lower(&r.body, "engine").is_some_and(|e| supported(&e, false))
        }
        "AWS::RDS::DBInstance" => {
            unset(&r.body, "DBClusterIdentifier")
                && unset(&r.body, "SourceDBInstanceIdentifier")
                && lower(&r.body, "Engine").is_some_and(|e| supported(&e, false))
        }
        "aws_rds_cluster" => {
            unset(&r.body, "replication_source_identifier")
                && match lower(&r.body, "engine") {
                    Some(e) => supported(&e, true),
                    // The engine defaults to Aurora MySQL.
                    None => unset(&r.body, "engine"),
                }
        }
        _ => lower(&r.body, "Engine").is_some_and(|e| supported(&e, true)),
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_db_instance",
        "aws_rds_cluster",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
    ]) {
        if !applies(r) {
            continue;
        }
        let key = if r.rtype.starts_with("AWS::") {
            "EnableIAMDatabaseAuthentication"
        } else {
            "iam_database_authentication_enabled"
        };
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "clients can only sign in with long-lived database passwords",
        ) {
            out.push(f);
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, find};

declare_rule! {
    /// ## What it finds
    /// A database instance or cluster with a public endpoint: `publicly_accessible = true` on
    /// `aws_db_instance`, `aws_rds_cluster_instance` or `aws_rds_cluster` (Multi-AZ DB
    /// clusters), `PubliclyAccessible: true` on CloudFormation `AWS::RDS::DBInstance` and
    /// `AWS::RDS::DBCluster`.
    ///
    /// ## Why it matters
    /// A public endpoint resolves to a public IP address; in a public subnet, the database
    /// is then reachable from the internet, and the only remaining protections are its
    /// security group and its password. Databases are scanned for and brute-forced within
    /// minutes of appearing.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier          = "orders"
    ///   engine              = "postgres"
    ///   instance_class      = "db.t4g.medium"
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `publicly_accessible = false`, place the database in private subnets, and reach it
    /// through the application, a VPN, or SSM port forwarding through a bastion.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: working with a DB instance in a VPC](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html)
    /// - Checkov CKV_AWS_17
    pub static RULE = {
        id: "iac/rds-instance-public",
        code: "IAC023",
        title: "database instance or cluster publicly accessible",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_db_instance",
        "aws_rds_cluster_instance",
        "aws_rds_cluster",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
    ]) {
        let key = if r.rtype.starts_with("AWS::") {
            "PubliclyAccessible"
        } else {
            "publicly_accessible"
        };
        if let Found::Value(n) = find(&r.body, key)
            && n.as_bool() == Some(true)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` sets `{key}` to `{n}`, so the database gets a public endpoint reachable from the internet in a public subnet",
                r.addr
            )));
        }
    }
}

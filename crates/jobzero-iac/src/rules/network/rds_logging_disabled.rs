use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Val;

declare_rule! {
    /// ## What it finds
    /// An RDS database that exports none of its logs to CloudWatch: `aws_db_instance` and
    /// `aws_rds_cluster` without `enabled_cloudwatch_logs_exports` (or with an empty list);
    /// CloudFormation `AWS::RDS::DBInstance` (outside an Aurora cluster) and
    /// `AWS::RDS::DBCluster` without `EnableCloudwatchLogsExports`.
    ///
    /// ## Why it matters
    /// Database logs (audit, error, slow query, PostgreSQL logs) record failed logins, schema
    /// changes and unusual queries; kept only on the instance they rotate away within days and
    /// are lost with it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "app" {
    ///   engine         = "postgres"
    ///   instance_class = "db.t4g.micro"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Export the engine's logs: `enabled_cloudwatch_logs_exports = ["postgresql"]` (MySQL:
    /// `["audit", "error", "general", "slowquery"]`).
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: publishing database logs to Amazon CloudWatch Logs](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html)
    /// - Checkov CKV_AWS_129, CKV_AWS_324
    pub static RULE = {
        id: "iac/rds-logging-disabled",
        code: "IAC091",
        title: "an RDS database exports no logs",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_db_instance", "enabled_cloudwatch_logs_exports"),
        ("aws_rds_cluster", "enabled_cloudwatch_logs_exports"),
        ("AWS::RDS::DBInstance", "EnableCloudwatchLogsExports"),
        ("AWS::RDS::DBCluster", "EnableCloudwatchLogsExports"),
    ] {
        for r in cx.of(&[rtype]) {
            // An Aurora instance's logs are configured on its cluster; Serverless v1 clusters
            // cannot export them.
            if r.is_set("DBClusterIdentifier")
                || r.str_at("engine_mode")
                    .is_some_and(|m| m.eq_ignore_ascii_case("serverless"))
                || r.str_at("EngineMode")
                    .is_some_and(|m| m.eq_ignore_ascii_case("serverless"))
            {
                continue;
            }
            match r.body.get_direct(key) {
                None => out.push(cx.missing(&RULE, r, key).message(format!(
                    "database `{}` exports no logs to CloudWatch (no `{key}`)",
                    r.addr
                ))),
                Some(n)
                    if n.is_null() || matches!(&n.val, Val::List(items) if items.is_empty()) =>
                {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "database `{}` exports no logs to CloudWatch (`{key}` is empty)",
                        r.addr
                    )));
                }
                Some(_) => {}
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A database parameter group that explicitly lets clients connect without TLS:
    /// `rds.force_ssl` set to `0` (PostgreSQL, SQL Server) or `require_secure_transport` set
    /// to `OFF`/`0` (MySQL, MariaDB, Aurora MySQL), in the `parameter` blocks of
    /// `aws_db_parameter_group` and `aws_rds_cluster_parameter_group`, or in the `Parameters`
    /// of CloudFormation `AWS::RDS::DBParameterGroup` and `AWS::RDS::DBClusterParameterGroup`.
    /// Parameter groups that do not mention these parameters are not reported: their default
    /// depends on the engine version.
    ///
    /// ## Why it matters
    /// With TLS optional, any client, driver or tool that does not ask for it sends the
    /// database password and every query and result in clear across the network, where they
    /// can be read or altered.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_parameter_group" "orders" {
    ///   name   = "orders-pg16"
    ///   family = "postgres16"
    ///   parameter {
    ///     name  = "rds.force_ssl"
    ///     value = "0"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `rds.force_ssl` to `1` or `require_secure_transport` to `ON`, and make clients
    /// verify the server certificate (`sslmode=verify-full`, `--ssl-mode=VERIFY_IDENTITY`).
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: using SSL/TLS to encrypt a connection to a DB instance](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html)
    /// - [AWS: requiring SSL/TLS for PostgreSQL](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html)
    pub static RULE = {
        id: "iac/rds-transport-not-enforced",
        code: "IAC026",
        title: "database parameter group allows connections without TLS",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// The parameters that force TLS.
const PARAMETERS: &[&str] = &["rds.force_ssl", "require_secure_transport"];

/// Whether a parameter value switches the requirement off (`0`, `OFF`, `false`).
fn is_off(v: &Node) -> bool {
    match v.as_num() {
        Some(n) => n == 0.0,
        None => {
            v.as_str().is_some_and(|s| {
                s.trim().eq_ignore_ascii_case("off") || s.trim().eq_ignore_ascii_case("false")
            }) || v.as_bool() == Some(false)
        }
    }
}

/// Reports the parameter `name` of `r` when it is a TLS switch and `value` is off.
fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, name: &str, value: &Node) {
    if !PARAMETERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(name.trim()))
        || !is_off(value)
    {
        return;
    }
    out.push(cx.at(&RULE, r, value).message(format!(
        "`{}` sets `{name}` to `{value}`, so clients may connect without TLS",
        r.addr
    )));
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_db_parameter_group", "aws_rds_cluster_parameter_group"]) {
        for p in r.body.all("parameter") {
            if let (Some(name), Some(value)) =
                (p.get("name").and_then(Node::as_str), p.get("value"))
            {
                report(cx, out, r, name, value);
            }
        }
    }
    for r in cx.of(&[
        "AWS::RDS::DBParameterGroup",
        "AWS::RDS::DBClusterParameterGroup",
    ]) {
        let Some(params) = r.at("Parameters") else {
            continue;
        };
        for (name, value) in params.entries() {
            report(cx, out, r, name, value);
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An Amazon DocumentDB cluster parameter group that turns TLS off: the parameter `tls`
    /// set to `disabled` in a `parameter` block of `aws_docdb_cluster_parameter_group`, or in
    /// the `Parameters` of a CloudFormation `AWS::DocDB::DBClusterParameterGroup`. TLS is on
    /// by default.
    ///
    /// ## Why it matters
    /// With TLS disabled the cluster accepts only plain connections: credentials, queries and
    /// documents cross the network in clear, readable and changeable by anyone on the path.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_docdb_cluster_parameter_group" "catalog" {
    ///   family = "docdb5.0"
    ///   name   = "catalog"
    ///   parameter {
    ///     name  = "tls"
    ///     value = "disabled"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `tls` to `enabled` (or remove the parameter) and connect with `tls=true` and the
    /// Amazon DocumentDB CA bundle.
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: encrypting data in transit in Amazon DocumentDB](https://docs.aws.amazon.com/documentdb/latest/developerguide/security.encryption.ssl.html)
    /// - Checkov CKV_AWS_90
    pub static RULE = {
        id: "iac/docdb-tls-disabled",
        code: "IAC028",
        title: "document database parameter group disables TLS",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// Reports the parameter `name` of `r` when it is `tls` and `value` is `disabled`.
fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, name: &str, value: &Node) {
    let off = value
        .as_str()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("disabled"))
        || value.as_bool() == Some(false);
    if name.trim().eq_ignore_ascii_case("tls") && off {
        out.push(cx.at(&RULE, r, value).message(format!(
            "`{}` sets `tls` to `{value}`, so the cluster accepts only unencrypted connections",
            r.addr
        )));
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_docdb_cluster_parameter_group"]) {
        for p in r.body.all("parameter") {
            if let (Some(name), Some(value)) =
                (p.get("name").and_then(Node::as_str), p.get("value"))
            {
                report(cx, out, r, name, value);
            }
        }
    }
    for r in cx.of(&["AWS::DocDB::DBClusterParameterGroup"]) {
        let Some(params) = r.at("Parameters") else {
            continue;
        };
        for (name, value) in params.entries() {
            report(cx, out, r, name, value);
        }
    }
}

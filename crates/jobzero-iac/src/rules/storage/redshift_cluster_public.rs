use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, find};

declare_rule! {
    /// ## What it finds
    /// A Redshift data warehouse with a public endpoint: `publicly_accessible = true` on
    /// `aws_redshift_cluster` or `aws_redshiftserverless_workgroup`, `PubliclyAccessible:
    /// true` on CloudFormation `AWS::Redshift::Cluster` and
    /// `AWS::RedshiftServerless::Workgroup`. Leaving the argument out is not reported, as its
    /// default changed between AWS provider versions (`true` before version 6 for clusters).
    ///
    /// ## Why it matters
    /// A public endpoint gets a public IP address; in a public subnet the warehouse, which
    /// holds the organisation's data, is reachable from the internet and protected only by
    /// its security group and passwords.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_redshift_cluster" "warehouse" {
    ///   cluster_identifier  = "warehouse"
    ///   node_type           = "ra3.xlplus"
    ///   publicly_accessible = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `publicly_accessible = false`, keep the warehouse in private subnets, and let BI
    /// tools reach it through a VPN, PrivateLink or the Redshift Data API.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: managing clusters in a VPC](https://docs.aws.amazon.com/redshift/latest/mgmt/managing-clusters-vpc.html)
    /// - Checkov CKV_AWS_87
    pub static RULE = {
        id: "iac/redshift-cluster-public",
        code: "IAC042",
        title: "data warehouse publicly accessible",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_redshift_cluster",
        "aws_redshiftserverless_workgroup",
        "AWS::Redshift::Cluster",
        "AWS::RedshiftServerless::Workgroup",
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
                "`{}` sets `{key}` to `{n}`, so the warehouse gets an endpoint reachable from the internet in a public subnet",
                r.addr
            )));
        }
    }
}

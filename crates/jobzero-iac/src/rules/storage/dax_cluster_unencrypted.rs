use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_off;

declare_rule! {
    /// ## What it finds
    /// A DynamoDB Accelerator (DAX) cluster without encryption at rest: no
    /// `server_side_encryption` block, or `enabled = false`, on `aws_dax_cluster`; no
    /// `SSESpecification`, or `SSEEnabled: false`, on a CloudFormation `AWS::DAX::Cluster`.
    ///
    /// ## Why it matters
    /// DAX caches table items on its nodes' disks and in memory. Without encryption at rest
    /// the cached copies of encrypted DynamoDB data sit in clear on the cluster's storage,
    /// defeating the table's own encryption. It can only be enabled when the cluster is
    /// created.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_dax_cluster" "sessions" {
    ///   cluster_name       = "sessions"
    ///   iam_role_arn       = aws_iam_role.dax.arn
    ///   node_type          = "dax.r5.large"
    ///   replication_factor = 3
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add `server_side_encryption { enabled = true }` (this replaces the cluster).
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: DAX encryption at rest](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html)
    /// - Checkov CKV_AWS_47
    pub static RULE = {
        id: "iac/dax-cluster-unencrypted",
        code: "IAC031",
        title: "unencrypted DynamoDB Accelerator cluster",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_dax_cluster", "AWS::DAX::Cluster"]) {
        let key = if r.rtype == "aws_dax_cluster" {
            "server_side_encryption.enabled"
        } else {
            "SSESpecification.SSEEnabled"
        };
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "the items it caches are stored unencrypted on its nodes",
        ) {
            out.push(f);
        }
    }
}

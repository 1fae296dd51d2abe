use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_explicit_off;

declare_rule! {
    /// ## What it finds
    /// A Redshift cluster with encryption explicitly turned off: `encrypted = false` on
    /// `aws_redshift_cluster`, `Encrypted: false` on a CloudFormation
    /// `AWS::Redshift::Cluster`. A cluster that leaves the setting out is not reported: since
    /// early 2025 Redshift encrypts new provisioned clusters by default (and recent AWS
    /// providers default `encrypted` to `true`).
    ///
    /// ## Why it matters
    /// A data warehouse concentrates the organisation's data; unencrypted, its blocks,
    /// backups and snapshots are not protected by any key policy, and snapshots shared or
    /// copied to another account are readable as they are.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_redshift_cluster" "warehouse" {
    ///   cluster_identifier = "warehouse"
    ///   node_type          = "ra3.xlplus"
    ///   encrypted          = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `encrypted = true`, with `kms_key_id` for a customer-managed key.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: Amazon Redshift database encryption](https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html)
    /// - Checkov CKV_AWS_64
    pub static RULE = {
        id: "iac/redshift-cluster-unencrypted",
        code: "IAC041",
        title: "data warehouse cluster with encryption turned off",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_redshift_cluster", "AWS::Redshift::Cluster"]) {
        let key = if r.rtype == "aws_redshift_cluster" {
            "encrypted"
        } else {
            "Encrypted"
        };
        if let Some(f) = report_explicit_off(
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

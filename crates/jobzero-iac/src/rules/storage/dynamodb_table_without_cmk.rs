use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_off;

declare_rule! {
    /// ## What it finds
    /// A DynamoDB table encrypted with an AWS owned key, the service default: no
    /// `server_side_encryption` block, or one with `enabled = false`, on `aws_dynamodb_table`;
    /// no `SSESpecification`, or `SSEEnabled: false`, on CloudFormation
    /// `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable`.
    ///
    /// ## Why it matters
    /// DynamoDB always encrypts at rest, but an AWS owned key is invisible to you: no key
    /// policy as a second gate, no CloudTrail record of its use, no way to make the data
    /// unreadable by disabling the key. A KMS key (customer-managed for sensitive tables)
    /// gives all three.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_dynamodb_table" "sessions" {
    ///   name         = "sessions"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "id"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add `server_side_encryption { enabled = true, kms_key_arn = aws_kms_key.tables.arn }`
    /// (without `kms_key_arn` the AWS managed key `aws/dynamodb` is used).
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: DynamoDB encryption at rest](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html)
    /// - Checkov CKV_AWS_119
    pub static RULE = {
        id: "iac/dynamodb-table-without-cmk",
        code: "IAC030",
        title: "table encrypted with an AWS owned key instead of a KMS key",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_dynamodb_table",
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::GlobalTable",
    ]) {
        let key = if r.rtype == "aws_dynamodb_table" {
            "server_side_encryption.enabled"
        } else {
            "SSESpecification.SSEEnabled"
        };
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "the table is encrypted with an AWS owned key that you cannot audit, restrict or revoke",
        ) {
            out.push(f);
        }
    }
}

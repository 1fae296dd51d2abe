use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::unset;

declare_rule! {
    /// ## What it finds
    /// An SNS topic without server-side encryption: no `kms_master_key_id` on
    /// `aws_sns_topic`, no `KmsMasterKeyId` on a CloudFormation `AWS::SNS::Topic`. Unlike
    /// SQS, SNS does not encrypt topics by default.
    ///
    /// ## Why it matters
    /// Messages wait in the topic's storage until every subscriber has received them
    /// (retries can last days for HTTP endpoints). Alerts, events and notifications routinely
    /// carry personal data and identifiers; without SSE they are stored in clear.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sns_topic" "orders" {
    ///   name = "orders"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `kms_master_key_id` to a KMS key: `alias/aws/sns`, or a customer-managed key whose
    /// policy lets the publishing services use it.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encryption at rest in Amazon SNS](https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html)
    /// - Checkov CKV_AWS_26
    pub static RULE = {
        id: "iac/sns-topic-unencrypted",
        code: "IAC035",
        title: "topic without server-side encryption",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_sns_topic", "AWS::SNS::Topic"]) {
        let key = if r.rtype == "aws_sns_topic" {
            "kms_master_key_id"
        } else {
            "KmsMasterKeyId"
        };
        if unset(&r.body, key) {
            out.push(cx.missing(&RULE, r, key).message(format!(
                "topic `{}` has no `{key}`, so its messages are stored without server-side encryption",
                r.addr
            )));
        }
    }
}

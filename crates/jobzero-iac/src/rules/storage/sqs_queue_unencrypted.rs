use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Switch, switch, unset};

declare_rule! {
    /// ## What it finds
    /// An SQS queue with server-side encryption explicitly turned off: `sqs_managed_sse_enabled
    /// = false` and no `kms_master_key_id` on `aws_sqs_queue`, `SqsManagedSseEnabled: false`
    /// and no `KmsMasterKeyId` on a CloudFormation `AWS::SQS::Queue`. A queue that says nothing
    /// is not reported: since late 2022 new queues are encrypted with SQS-managed keys
    /// (SSE-SQS) by default.
    ///
    /// ## Why it matters
    /// Messages often carry personal data, tokens and internal identifiers, and wait in the
    /// queue for up to 14 days. With encryption turned off they are stored in clear.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sqs_queue" "orders" {
    ///   name                    = "orders"
    ///   sqs_managed_sse_enabled = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove `sqs_managed_sse_enabled = false`, or set `kms_master_key_id` to a KMS key
    /// (customer-managed for sensitive messages).
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encryption at rest in Amazon SQS](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html)
    /// - Checkov CKV_AWS_27
    pub static RULE = {
        id: "iac/sqs-queue-unencrypted",
        code: "IAC033",
        title: "queue with server-side encryption turned off",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_sqs_queue", "AWS::SQS::Queue"]) {
        let (sse, kms) = if r.rtype == "aws_sqs_queue" {
            ("sqs_managed_sse_enabled", "kms_master_key_id")
        } else {
            ("SqsManagedSseEnabled", "KmsMasterKeyId")
        };
        if let Switch::Off(n) = switch(&r.body, sse)
            && unset(&r.body, kms)
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "queue `{}` sets `{sse}` to `{n}` and has no `{kms}`, so its messages are stored unencrypted",
                r.addr
            )));
        }
    }
}

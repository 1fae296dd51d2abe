use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_public_policies;

declare_rule! {
    /// ## What it finds
    /// An SQS queue policy with a statement that allows anyone: `Effect: Allow` to the
    /// principal `*` with no condition limiting it to an account, organisation or source
    /// (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`, ...), in the `policy` of
    /// `aws_sqs_queue` or `aws_sqs_queue_policy`, or the `PolicyDocument` of a CloudFormation
    /// `AWS::SQS::QueuePolicy`.
    ///
    /// ## Why it matters
    /// Anyone with an AWS account can then send to the queue (injecting forged work into the
    /// consumers), receive and delete its messages (reading and destroying data), or with
    /// `sqs:*` change the queue itself.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "orders" {
    ///   queue_url = aws_sqs_queue.orders.id
    ///   policy = jsonencode({
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.orders.arn
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Name the principals (roles, accounts, service principals) that use the queue, and for
    /// service principals such as `sns.amazonaws.com` add an `aws:SourceArn` condition.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: Amazon SQS policy examples](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html)
    /// - Checkov CKV_AWS_168
    pub static RULE = {
        id: "iac/sqs-queue-policy-public",
        code: "IAC034",
        title: "queue policy allows anyone",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    report_public_policies(
        cx,
        out,
        &RULE,
        &[
            ("aws_sqs_queue", "policy"),
            ("aws_sqs_queue_policy", "policy"),
            ("AWS::SQS::QueuePolicy", "PolicyDocument"),
        ],
        "the queue",
    );
}

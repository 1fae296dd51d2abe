use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_public_policies;

declare_rule! {
    /// ## What it finds
    /// An SNS topic policy with a statement that allows anyone: `Effect: Allow` to the
    /// principal `*` with no condition limiting it to an account, organisation or source
    /// (`aws:SourceOwner`, `aws:SourceArn`, `aws:PrincipalOrgID`, ...), in the `policy` of
    /// `aws_sns_topic` or `aws_sns_topic_policy`, or the `PolicyDocument` of a CloudFormation
    /// `AWS::SNS::TopicPolicy`.
    ///
    /// ## Why it matters
    /// Anyone with an AWS account can then publish forged messages to every subscriber,
    /// subscribe their own endpoint and receive every message, or with `sns:*` change or
    /// delete the topic.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sns_topic_policy" "orders" {
    ///   arn = aws_sns_topic.orders.arn
    ///   policy = jsonencode({
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "*" }
    ///       Action    = ["sns:Subscribe", "sns:Publish"]
    ///       Resource  = aws_sns_topic.orders.arn
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Name the principals that publish and subscribe, and for service principals such as
    /// `events.amazonaws.com` add an `aws:SourceArn` or `aws:SourceAccount` condition.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: example cases for Amazon SNS access control](https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html)
    /// - Checkov CKV_AWS_169
    pub static RULE = {
        id: "iac/sns-topic-policy-public",
        code: "IAC036",
        title: "topic policy allows anyone",
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
            ("aws_sns_topic", "policy"),
            ("aws_sns_topic_policy", "policy"),
            ("AWS::SNS::TopicPolicy", "PolicyDocument"),
        ],
        "the topic",
    );
}

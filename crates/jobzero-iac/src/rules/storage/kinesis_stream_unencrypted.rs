use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, find};

declare_rule! {
    /// ## What it finds
    /// A Kinesis data stream without server-side encryption: `encryption_type` left out
    /// (default `NONE`) or set to `NONE` on `aws_kinesis_stream`, and a CloudFormation
    /// `AWS::Kinesis::Stream` without `StreamEncryption`.
    ///
    /// ## Why it matters
    /// Records stay in the stream for a day up to a year and are read by many consumers;
    /// clickstreams, logs and change data captured there usually hold personal data. Without
    /// encryption they are stored in clear in the stream's shards.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kinesis_stream" "clicks" {
    ///   name             = "clicks"
    ///   retention_period = 48
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `encryption_type = "KMS"` with `kms_key_id` (`alias/aws/kinesis` or a
    /// customer-managed key).
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: data protection in Amazon Kinesis Data Streams](https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html)
    /// - Checkov CKV_AWS_43
    pub static RULE = {
        id: "iac/kinesis-stream-unencrypted",
        code: "IAC037",
        title: "unencrypted Kinesis data stream",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_kinesis_stream"]) {
        match find(&r.body, "encryption_type") {
            Found::Value(n) if n.as_str().is_some_and(|t| t.eq_ignore_ascii_case("NONE")) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "stream `{}` sets `encryption_type` to `{n}`, so its records are stored unencrypted",
                    r.addr
                )));
            }
            Found::Absent => out.push(cx.missing(&RULE, r, "encryption_type").message(format!(
                "stream `{}` does not set `encryption_type` (default `\"NONE\"`), so its records are stored unencrypted",
                r.addr
            ))),
            Found::Value(_) | Found::Unknown => {}
        }
    }
    for r in cx.of(&["AWS::Kinesis::Stream"]) {
        if let Found::Absent = find(&r.body, "StreamEncryption") {
            out.push(cx.missing(&RULE, r, "StreamEncryption").message(format!(
                "stream `{}` has no `StreamEncryption`, so its records are stored unencrypted",
                r.addr
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An S3 bucket whose default encryption is `AES256` (SSE-S3, keys managed by S3) rather
    /// than `aws:kms` or `aws:kms:dsse`: `sse_algorithm` of a
    /// `server_side_encryption_configuration` block or of a linked
    /// `aws_s3_bucket_server_side_encryption_configuration` (AWS provider 4+), and
    /// `SSEAlgorithm` of a CloudFormation bucket's `BucketEncryption`.
    ///
    /// ## Why it matters
    /// With S3-managed keys anyone allowed `s3:GetObject` reads the data in clear: there is no
    /// key policy as a second gate, no CloudTrail record of each decryption, and no way to
    /// make the data unreadable at once by disabling a key. A KMS key adds all three for
    /// buckets that hold sensitive data.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
    ///   bucket = aws_s3_bucket.exports.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm = "AES256"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Use `aws:kms` with a customer-managed key (and `bucket_key_enabled = true` to keep KMS
    /// costs down) for buckets that hold sensitive data.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: using server-side encryption with AWS KMS keys](https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html)
    /// - Checkov CKV_AWS_145
    pub static RULE = {
        id: "iac/s3-bucket-sse-without-kms",
        code: "IAC016",
        title: "bucket encrypted with S3-managed keys instead of a KMS key",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

/// Reports `algorithm` (an `sse_algorithm`/`SSEAlgorithm` node of `r`) when it is `AES256`.
fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, algorithm: Option<&Node>) {
    let Some(n) = algorithm else {
        return;
    };
    if n.as_str().is_some_and(|a| a.eq_ignore_ascii_case("AES256")) {
        out.push(cx.at(&RULE, r, n).message(format!(
            "`{}` encrypts with `{n}` (S3-managed keys) rather than a KMS key",
            r.addr
        )));
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for b in cx.of(&["aws_s3_bucket"]) {
        for config in b.body.all("server_side_encryption_configuration") {
            for rule in config.all("rule") {
                report(
                    cx,
                    out,
                    b,
                    rule.at("apply_server_side_encryption_by_default.sse_algorithm"),
                );
            }
        }
    }
    for r in cx.of(&["aws_s3_bucket_server_side_encryption_configuration"]) {
        for rule in r.body.all("rule") {
            report(
                cx,
                out,
                r,
                rule.at("apply_server_side_encryption_by_default.sse_algorithm"),
            );
        }
    }
    for b in cx.of(&["AWS::S3::Bucket"]) {
        let Some(enc) = b.at("BucketEncryption") else {
            continue;
        };
        for rule in enc.all("ServerSideEncryptionConfiguration") {
            report(
                cx,
                out,
                b,
                rule.at("ServerSideEncryptionByDefault.SSEAlgorithm"),
            );
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An S3 bucket with no server-side encryption configuration: no
    /// `server_side_encryption_configuration` block and no linked
    /// `aws_s3_bucket_server_side_encryption_configuration` resource (AWS provider 4+) in
    /// Terraform, no `BucketEncryption` in CloudFormation.
    ///
    /// ## Why it matters
    /// Since January 2023 S3 encrypts new objects with S3-managed keys (SSE-S3) by default, so
    /// the data is not stored in clear; but nothing in the code says so, the key is not yours
    /// (no key policy, no separate audit trail of decryptions, no way to revoke), and a bucket
    /// that holds sensitive data should name a KMS key.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "data" {
    ///   bucket = "customer-exports"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Declare the encryption explicitly, with `aws:kms` and a customer-managed key for
    /// sensitive data:
    /// `resource "aws_s3_bucket_server_side_encryption_configuration" "data" { bucket = aws_s3_bucket.data.id ... }`.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: default encryption for S3 buckets](https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html)
    /// - Checkov CKV_AWS_19
    pub static RULE = {
        id: "iac/s3-bucket-unencrypted",
        code: "IAC010",
        title: "bucket without explicit server-side encryption",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for b in cx.of(&["aws_s3_bucket"]) {
        if b.is_set("server_side_encryption_configuration")
            || !cx
                .graph
                .linked(b, "aws_s3_bucket_server_side_encryption_configuration", "bucket")
                .is_empty()
        {
            continue;
        }
        out.push(cx.missing(&RULE, b, "server_side_encryption_configuration").message(format!(
            "bucket `{}` declares no server-side encryption (neither a `server_side_encryption_configuration` block nor a linked `aws_s3_bucket_server_side_encryption_configuration`)",
            b.name
        )));
    }
    for b in cx.of(&["AWS::S3::Bucket"]) {
        if b.is_set("BucketEncryption") {
            continue;
        }
        out.push(cx.missing(&RULE, b, "BucketEncryption").message(format!(
            "bucket `{}` has no `BucketEncryption`",
            b.name
        )));
    }
}

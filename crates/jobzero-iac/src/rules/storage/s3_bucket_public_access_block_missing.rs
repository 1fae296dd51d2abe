use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An S3 bucket that nothing in the code protects with S3 Block Public Access: in
    /// Terraform, an `aws_s3_bucket` with no `aws_s3_bucket_public_access_block` naming it
    /// (by reference or by its literal name, in any file of the module) and no
    /// `aws_s3_account_public_access_block` in the module; in CloudFormation, an
    /// `AWS::S3::Bucket` without `PublicAccessBlockConfiguration`. A block that exists but
    /// turns a protection off is `iac/s3-bucket-public-access-block-disabled`.
    ///
    /// ## Why it matters
    /// Block Public Access is the control that makes a public ACL or a public bucket policy
    /// ineffective, whoever adds it later and however. Buckets created since April 2023 get
    /// it by default, but older buckets do not, an account-level setting can be changed
    /// outside the code, and a bucket whose code does not say so can be made public by a
    /// single API call.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "customer-exports"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Declare the block next to the bucket, with all four protections on:
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_public_access_block" "exports" {
    ///   bucket                  = aws_s3_bucket.exports.id
    ///   block_public_acls       = true
    ///   block_public_policy     = true
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = true
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: Blocking public access to your Amazon S3 storage](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
    /// - Checkov CKV2_AWS_6
    pub static RULE = {
        id: "iac/s3-bucket-public-access-block-missing",
        code: "IAC001",
        title: "bucket without an S3 Block Public Access configuration",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let account_level = cx
        .graph
        .of(&["aws_s3_account_public_access_block"])
        .next()
        .is_some();
    if !account_level {
        for b in cx.of(&["aws_s3_bucket"]) {
            if !cx
                .graph
                .linked(b, "aws_s3_bucket_public_access_block", "bucket")
                .is_empty()
            {
                continue;
            }
            out.push(cx.missing(&RULE, b, "aws_s3_bucket_public_access_block").message(format!(
                "bucket `{}` has no `aws_s3_bucket_public_access_block`, so nothing in the code stops a public ACL or policy",
                b.name
            )));
        }
    }
    for b in cx.of(&["AWS::S3::Bucket"]) {
        if b.at("PublicAccessBlockConfiguration").is_some() {
            continue;
        }
        out.push(cx.missing(&RULE, b, "PublicAccessBlockConfiguration").message(format!(
            "bucket `{}` has no `PublicAccessBlockConfiguration`, so nothing in the template stops a public ACL or policy",
            b.name
        )));
    }
}

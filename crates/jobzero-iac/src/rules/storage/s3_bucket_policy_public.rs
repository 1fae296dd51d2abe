use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_public_policies;

declare_rule! {
    /// ## What it finds
    /// An S3 bucket policy with a statement that allows anyone: `Effect: Allow` to the
    /// principal `*` (or `{"AWS": "*"}`) with no condition that limits it to an account, an
    /// organisation, a VPC endpoint, a network or a source (`aws:SourceVpce`,
    /// `aws:PrincipalOrgID`, `aws:SourceIp` with a real range, ...). Policies are read from the
    /// `policy` argument of `aws_s3_bucket` and `aws_s3_bucket_policy` in every shape (JSON
    /// string, `jsonencode`, `aws_iam_policy_document`) and from the `PolicyDocument` of a
    /// CloudFormation `AWS::S3::BucketPolicy`.
    ///
    /// ## Why it matters
    /// Anyone on the internet can then perform the allowed actions without credentials: read
    /// every object with `s3:GetObject`, and with write or `s3:*` overwrite, delete or host
    /// malware in the bucket. Public buckets are the most common cause of large data leaks.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_policy" "exports" {
    ///   bucket = aws_s3_bucket.exports.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "s3:GetObject"
    ///       Resource  = "${aws_s3_bucket.exports.arn}/*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Grant access to named principals (roles, accounts) or limit the statement with a
    /// condition such as `aws:SourceVpce` or `aws:PrincipalOrgID`; serve public web content
    /// through CloudFront with origin access control instead of a public bucket.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: bucket policy examples](https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html)
    /// - [AWS: the meaning of "public"](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status)
    /// - Checkov CKV_AWS_70
    pub static RULE = {
        id: "iac/s3-bucket-policy-public",
        code: "IAC013",
        title: "bucket policy allows anyone",
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
            ("aws_s3_bucket", "policy"),
            ("aws_s3_bucket_policy", "policy"),
            ("AWS::S3::BucketPolicy", "PolicyDocument"),
        ],
        "the bucket",
    );
}

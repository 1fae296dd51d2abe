use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, find};

declare_rule! {
    /// ## What it finds
    /// An ECR repository encrypted with S3-managed keys (`AES256`, the default) rather than
    /// KMS: no `encryption_configuration`, or `encryption_type = "AES256"`, on
    /// `aws_ecr_repository`; `EncryptionConfiguration.EncryptionType` on a CloudFormation
    /// `AWS::ECR::Repository`.
    ///
    /// ## Why it matters
    /// Images contain application code and often configuration and secrets baked in by
    /// mistake. With AES256 there is no key policy as a second gate on the layers and no
    /// CloudTrail record of each decryption.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add `encryption_configuration { encryption_type = "KMS", kms_key = aws_kms_key.ecr.arn }`
    /// (this replaces the repository).
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: encryption at rest in Amazon ECR](https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html)
    /// - Checkov CKV_AWS_136
    pub static RULE = {
        id: "iac/ecr-repository-without-cmk",
        code: "IAC050",
        title: "container repository not encrypted with a KMS key",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_ecr_repository", "AWS::ECR::Repository"]) {
        let key = if r.rtype == "aws_ecr_repository" {
            "encryption_configuration.encryption_type"
        } else {
            "EncryptionConfiguration.EncryptionType"
        };
        match find(&r.body, key) {
            Found::Value(n) if n.as_str().is_some_and(|t| t.eq_ignore_ascii_case("AES256")) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "repository `{}` sets `{key}` to `{n}`, so its images are encrypted with S3-managed keys rather than KMS",
                    r.addr
                )));
            }
            Found::Absent => out.push(cx.missing(&RULE, r, key).message(format!(
                "repository `{}` does not set `{key}` (default `\"AES256\"`), so its images are encrypted with S3-managed keys rather than KMS",
                r.addr
            ))),
            Found::Value(_) | Found::Unknown => {}
        }
    }
}

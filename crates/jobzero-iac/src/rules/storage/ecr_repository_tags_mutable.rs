use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, find};

declare_rule! {
    /// ## What it finds
    /// An ECR repository whose image tags can be overwritten: `image_tag_mutability` left out
    /// (default `MUTABLE`) or set to `MUTABLE` on `aws_ecr_repository`, `ImageTagMutability`
    /// on a CloudFormation `AWS::ECR::Repository`.
    ///
    /// ## Why it matters
    /// With mutable tags, pushing a new image under an existing tag (`v1.4.2`, `prod`)
    /// silently changes what every deployment, rollback and autoscaling event pulls next:
    /// whoever can push, or a compromised CI job, swaps production code without any change
    /// to the manifests that reference the tag.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `image_tag_mutability = "IMMUTABLE"` (or `IMMUTABLE_WITH_EXCLUSION` for a few
    /// moving tags such as `latest`), and deploy by digest.
    ///
    /// ## References
    /// - CWE-494
    /// - [AWS: preventing image tags from being overwritten](https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html)
    /// - Checkov CKV_AWS_51
    pub static RULE = {
        id: "iac/ecr-repository-tags-mutable",
        code: "IAC048",
        title: "container repository allows image tags to be overwritten",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_PIN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_ecr_repository", "AWS::ECR::Repository"]) {
        let key = if r.rtype == "aws_ecr_repository" {
            "image_tag_mutability"
        } else {
            "ImageTagMutability"
        };
        match find(&r.body, key) {
            Found::Value(n) if n.as_str().is_some_and(|m| m.eq_ignore_ascii_case("MUTABLE")) => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "repository `{}` sets `{key}` to `{n}`, so a push can replace the image behind any existing tag",
                    r.addr
                )));
            }
            Found::Absent => out.push(cx.missing(&RULE, r, key).message(format!(
                "repository `{}` does not set `{key}` (default `\"MUTABLE\"`), so a push can replace the image behind any existing tag",
                r.addr
            ))),
            Found::Value(_) | Found::Unknown => {}
        }
    }
}

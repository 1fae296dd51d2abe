use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_off;

declare_rule! {
    /// ## What it finds
    /// An ECR repository that does not scan images on push: no
    /// `image_scanning_configuration` block, or `scan_on_push = false`, on
    /// `aws_ecr_repository`; `ImageScanningConfiguration.ScanOnPush` on a CloudFormation
    /// `AWS::ECR::Repository`. Not reported when the module or template configures scanning
    /// for the whole registry (`aws_ecr_registry_scanning_configuration`,
    /// `AWS::ECR::RegistryScanningConfiguration`), which overrides the repository setting.
    ///
    /// ## Why it matters
    /// Without scanning, images with known-vulnerable operating system packages reach
    /// production unnoticed; scan-on-push reports them the moment the build pushes.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name                 = "api"
    ///   image_tag_mutability = "IMMUTABLE"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add `image_scanning_configuration { scan_on_push = true }`, or turn on enhanced
    /// scanning for the registry with `aws_ecr_registry_scanning_configuration`.
    ///
    /// ## References
    /// - CWE-1104
    /// - [AWS: scan images for software vulnerabilities in Amazon ECR](https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html)
    /// - Checkov CKV_AWS_163
    pub static RULE = {
        id: "iac/ecr-image-scanning-disabled",
        code: "IAC049",
        title: "container repository does not scan images on push",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_VULN,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let registry_scanning = cx
        .graph
        .of(&[
            "aws_ecr_registry_scanning_configuration",
            "AWS::ECR::RegistryScanningConfiguration",
        ])
        .next()
        .is_some();
    if registry_scanning {
        return;
    }
    for r in cx.of(&["aws_ecr_repository", "AWS::ECR::Repository"]) {
        let key = if r.rtype == "aws_ecr_repository" {
            "image_scanning_configuration.scan_on_push"
        } else {
            "ImageScanningConfiguration.ScanOnPush"
        };
        if let Some(f) = report_off(
            cx,
            &RULE,
            r,
            key,
            "pushed images are not checked for known vulnerabilities",
        ) {
            out.push(f);
        }
    }
}

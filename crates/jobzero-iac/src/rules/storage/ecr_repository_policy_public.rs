use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_public_policies;

declare_rule! {
    /// ## What it finds
    /// An ECR repository policy with a statement that allows anyone: `Effect: Allow` to the
    /// principal `*` with no condition limiting it to an account or organisation
    /// (`aws:PrincipalOrgID`, `aws:SourceAccount`, ...), in the `policy` of
    /// `aws_ecr_repository_policy` or the `RepositoryPolicyText` of a CloudFormation
    /// `AWS::ECR::Repository`.
    ///
    /// ## Why it matters
    /// Any AWS account can then pull the images (source code, configuration and whatever
    /// secrets were baked in), and with push actions or `ecr:*` replace them with their own,
    /// which your services then run.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository_policy" "api" {
    ///   repository = aws_ecr_repository.api.name
    ///   policy = jsonencode({
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Name the accounts or roles that pull, or restrict the statement with
    /// `aws:PrincipalOrgID`; publish images meant for everyone in ECR Public instead.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: private repository policy examples](https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html)
    /// - Checkov CKV_AWS_32
    pub static RULE = {
        id: "iac/ecr-repository-policy-public",
        code: "IAC051",
        title: "container repository policy allows anyone",
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
            ("aws_ecr_repository_policy", "policy"),
            ("AWS::ECR::Repository", "RepositoryPolicyText"),
        ],
        "the repository",
    );
}

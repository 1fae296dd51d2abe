use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::unset;

declare_rule! {
    /// ## What it finds
    /// A SageMaker notebook instance whose storage volume is not encrypted with a
    /// customer-managed key: no `kms_key_id` on `aws_sagemaker_notebook_instance`, no
    /// `KmsKeyId` on a CloudFormation `AWS::SageMaker::NotebookInstance`.
    ///
    /// ## Why it matters
    /// Notebook volumes accumulate training data extracts, credentials pasted into cells and
    /// model artefacts. Without a customer-managed key, no key policy restricts who can
    /// decrypt the volume and its snapshots.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sagemaker_notebook_instance" "research" {
    ///   name          = "research"
    ///   role_arn      = aws_iam_role.sagemaker.arn
    ///   instance_type = "ml.t3.medium"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `kms_key_id` to a customer-managed key.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: protect data at rest using encryption in SageMaker](https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html)
    /// - Checkov CKV_AWS_22
    pub static RULE = {
        id: "iac/sagemaker-notebook-without-cmk",
        code: "IAC056",
        title: "notebook instance volume without a customer-managed key",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_sagemaker_notebook_instance",
        "AWS::SageMaker::NotebookInstance",
    ]) {
        let key = if r.rtype == "aws_sagemaker_notebook_instance" {
            "kms_key_id"
        } else {
            "KmsKeyId"
        };
        if unset(&r.body, key) {
            out.push(cx.missing(&RULE, r, key).message(format!(
                "notebook instance `{}` has no `{key}`, so its storage volume is not encrypted with a customer-managed key",
                r.addr
            )));
        }
    }
}

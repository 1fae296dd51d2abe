use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Text, text_of};

declare_rule! {
    /// ## What it finds
    /// A SageMaker notebook instance with direct internet access: `direct_internet_access`
    /// of `aws_sagemaker_notebook_instance` set to `Enabled` or absent (the default is
    /// `Enabled`), `DirectInternetAccess` of CloudFormation `AWS::SageMaker::NotebookInstance`
    /// likewise.
    ///
    /// ## Why it matters
    /// The notebook runs code and holds an execution role with access to training data;
    /// with its own path to the internet, data leaves through a simple upload that no VPC
    /// control, proxy or flow log sees, and malicious packages can call home.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sagemaker_notebook_instance" "research" {
    ///   name          = "research"
    ///   role_arn      = aws_iam_role.notebook.arn
    ///   instance_type = "ml.t3.medium"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Place the notebook in a private subnet (`subnet_id`, `security_groups`) and set
    /// `direct_internet_access = "Disabled"`; reach the internet through the VPC's controlled
    /// egress if needed.
    ///
    /// ## References
    /// - CWE-668
    /// - [AWS: connect a notebook instance in a VPC to external resources](https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html)
    /// - Checkov CKV_AWS_122
    pub static RULE = {
        id: "iac/sagemaker-notebook-direct-internet",
        code: "IAC106",
        title: "a SageMaker notebook has direct internet access",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_sagemaker_notebook_instance", "direct_internet_access"),
        ("AWS::SageMaker::NotebookInstance", "DirectInternetAccess"),
    ] {
        for r in cx.of(&[rtype]) {
            match text_of(r.body.get_direct(key)) {
                Text::Is(v, n) if v.eq_ignore_ascii_case("Enabled") => {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "notebook instance `{}` has direct internet access (`{key} = \"{v}\"`)",
                        r.addr
                    )));
                }
                Text::Absent => out.push(cx.missing(&RULE, r, key).message(format!(
                    "notebook instance `{}` has direct internet access (`{key}` defaults to `Enabled`)",
                    r.addr
                ))),
                Text::Is(..) | Text::Unknown => {}
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Text, text_of};

declare_rule! {
    /// ## What it finds
    /// A SageMaker notebook instance whose users are root: `root_access` of
    /// `aws_sagemaker_notebook_instance` set to `Enabled` or absent (the default is
    /// `Enabled`), `RootAccess` of CloudFormation `AWS::SageMaker::NotebookInstance`
    /// likewise.
    ///
    /// ## Why it matters
    /// With root, any notebook user (or any code a notebook runs) can change the instance's
    /// software and configuration, disable its controls, and persist across sessions.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sagemaker_notebook_instance" "research" {
    ///   name          = "research"
    ///   role_arn      = aws_iam_role.notebook.arn
    ///   instance_type = "ml.t3.medium"
    ///   root_access   = "Enabled"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `root_access = "Disabled"` and install what users need through a lifecycle
    /// configuration.
    ///
    /// ## References
    /// - CWE-250
    /// - [AWS: control root access to a SageMaker notebook instance](https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html)
    /// - Checkov CKV_AWS_307
    pub static RULE = {
        id: "iac/sagemaker-notebook-root-access",
        code: "IAC107",
        title: "a SageMaker notebook gives its users root access",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, key) in [
        ("aws_sagemaker_notebook_instance", "root_access"),
        ("AWS::SageMaker::NotebookInstance", "RootAccess"),
    ] {
        for r in cx.of(&[rtype]) {
            match text_of(r.body.get_direct(key)) {
                Text::Is(v, n) if v.eq_ignore_ascii_case("Enabled") => {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "notebook instance `{}` gives its users root access (`{key} = \"{v}\"`)",
                        r.addr
                    )));
                }
                Text::Absent => out.push(cx.missing(&RULE, r, key).message(format!(
                    "notebook instance `{}` gives its users root access (`{key}` defaults to `Enabled`)",
                    r.addr
                ))),
                Text::Is(..) | Text::Unknown => {}
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A CodeBuild project whose build container runs privileged: Terraform
    /// `aws_codebuild_project` `environment { privileged_mode = true }`, CloudFormation
    /// `AWS::CodeBuild::Project` `Environment.PrivilegedMode: true`.
    ///
    /// ## Why it matters
    /// Privileged mode gives the build container full access to the build host's kernel and
    /// devices so that it can run a Docker daemon. Any code the build runs (a dependency's
    /// install script, a pull request's test) gets that access too, and with it the
    /// project's role credentials and whatever the build pushes.
    ///
    /// ## Example
    /// ```hcl
    /// environment {
    ///   compute_type    = "BUILD_GENERAL1_SMALL"
    ///   image           = "aws/codebuild/standard:7.0"
    ///   type            = "LINUX_CONTAINER"
    ///   privileged_mode = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Turn privileged mode off unless the project builds container images; for image
    /// builds, keep such projects separate, run them only on trusted branches, and prefer
    /// daemonless builders (Kaniko, Buildah) that do not need it:
    /// `privileged_mode = false`.
    ///
    /// ## References
    /// - CWE-250
    /// - [AWS CodeBuild: privileged mode](https://docs.aws.amazon.com/codebuild/latest/userguide/change-project-console.html#change-project-console-environment)
    /// - Checkov CKV_AWS_316
    pub static RULE = {
        id: "iac/codebuild-privileged-mode",
        code: "IAC165",
        title: "build project runs its container in privileged mode",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::WORKLOAD_HARDENED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let projects = cx
        .of(&["aws_codebuild_project"])
        .into_iter()
        .map(|r| (r, r.at("environment.privileged_mode")))
        .chain(
            cx.of(&["AWS::CodeBuild::Project"])
                .into_iter()
                .map(|r| (r, r.at("Environment.PrivilegedMode"))),
        );
    for (r, mode) in projects {
        let Some(mode) = mode else { continue };
        if mode.as_bool() != Some(true) {
            continue;
        }
        out.push(cx.at(&RULE, r, mode).message(format!(
            "project `{}` runs its build container with privileged mode on",
            r.addr
        )));
    }
}

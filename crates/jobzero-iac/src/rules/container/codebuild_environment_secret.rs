use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::ecs::{field, nodes_at};
use jobzero_secrets::names::is_secret_name;
use jobzero_secrets::literal::{mentions_aws_access_key_id, is_literal};
use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// A CodeBuild project environment variable of type `PLAINTEXT` (the default) that holds
    /// a literal secret: a secret-looking name (`…PASSWORD`, `…SECRET…`, `…TOKEN`,
    /// `API_KEY`) with a literal value, or any value shaped like an AWS access key id.
    /// Terraform `aws_codebuild_project` `environment { environment_variable { … } }`;
    /// CloudFormation `AWS::CodeBuild::Project` `Environment.EnvironmentVariables`.
    /// Variables of type `PARAMETER_STORE` or `SECRETS_MANAGER` are the fix, not a finding.
    ///
    /// ## Why it matters
    /// Plain-text variables are shown in the CodeBuild console and returned by
    /// `codebuild:BatchGetProjects` to anyone with read access to the project, and they are
    /// in the repository and the state. Build credentials (registry tokens, deploy keys)
    /// usually reach production.
    ///
    /// ## Example
    /// ```hcl
    /// environment_variable {
    ///   name  = "NPM_TOKEN"
    ///   value = "npm_4f8Qm2xVbN7kLp0aZc3RtY6wE1uIo9sDfGhJ"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Store the value in SSM Parameter Store or Secrets Manager and reference it with the
    /// matching type, so CodeBuild resolves it at build time:
    /// `environment_variable { name = "NPM_TOKEN"  type = "SECRETS_MANAGER"  value = "ci/npm-token" }`.
    ///
    /// ## References
    /// - CWE-798
    /// - [AWS CodeBuild: environment variables](https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html)
    pub static RULE = {
        id: "iac/codebuild-environment-secret",
        code: "IAC159",
        title: "secret hard-coded in a CodeBuild plain-text environment variable",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let projects = cx
        .of(&["aws_codebuild_project"])
        .into_iter()
        .map(|r| (r, nodes_at(&r.body, "environment.environment_variable")))
        .chain(
            cx.of(&["AWS::CodeBuild::Project"])
                .into_iter()
                .map(|r| (r, nodes_at(&r.body, "Environment.EnvironmentVariables"))),
        );
    for (r, vars) in projects {
        for v in vars {
            let plain = field(v, "type").is_none_or(|t| {
                t.as_str().is_some_and(|t| t.eq_ignore_ascii_case("PLAINTEXT"))
            });
            let (Some(name), Some(value)) = (field(v, "name").and_then(Node::as_str), field(v, "value"))
            else {
                continue;
            };
            let Some(text) = value.as_str() else { continue };
            let by_name = is_secret_name(name) && is_literal(text);
            if !plain || (!by_name && !mentions_aws_access_key_id(text)) {
                continue;
            }
            out.push(cx.at(&RULE, r, value).message(format!(
                "project `{}` sets the plain-text environment variable `{name}` to a hard-coded secret",
                r.addr
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use jobzero_secrets::names::is_secret_name;
use jobzero_secrets::literal::{mentions_aws_access_key_id, is_literal};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Lambda function environment variable that holds a literal secret: a secret-looking
    /// name (`…PASSWORD`, `…SECRET…`, `…TOKEN`, `API_KEY`, `PRIVATE_KEY`) with a literal
    /// value, or any value shaped like an AWS access key id. Terraform
    /// `aws_lambda_function` `environment { variables = {…} }`; CloudFormation
    /// `AWS::Lambda::Function` and `AWS::Serverless::Function` `Environment.Variables`.
    /// References to secrets (ARNs, `{{resolve:…}}`, resources, unknown values) are not
    /// reported.
    ///
    /// ## Why it matters
    /// Environment variables are part of the function's configuration: anyone allowed
    /// `lambda:GetFunctionConfiguration` (a common read-only permission) reads them in plain
    /// text, and the value is also in the repository and the Terraform state or template.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function" "sync" {
    ///   environment {
    ///     variables = {
    ///       STRIPE_API_KEY = "sk_live_51Hx…"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Store the secret in Secrets Manager or SSM Parameter Store and pass only its name or
    /// ARN, reading it at run time (the Parameters and Secrets Lambda extension caches it):
    /// `STRIPE_API_KEY_SECRET_ARN = aws_secretsmanager_secret.stripe.arn`.
    ///
    /// ## References
    /// - CWE-798
    /// - CWE-526
    /// - [AWS Lambda: securing environment variables](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html)
    /// - Checkov CKV_AWS_45
    pub static RULE = {
        id: "iac/lambda-environment-secret",
        code: "IAC156",
        title: "secret hard-coded in a Lambda environment variable",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let functions = cx
        .of(&["aws_lambda_function"])
        .into_iter()
        .map(|r| (r, r.at("environment.variables")))
        .chain(
            cx.of(&["AWS::Lambda::Function", "AWS::Serverless::Function"])
                .into_iter()
                .map(|r| (r, r.at("Environment.Variables"))),
        );
    for (r, vars) in functions {
        let Some(vars) = vars else { continue };
        for (name, node) in vars.entries() {
            let Some(value) = node.as_str() else { continue };
            let by_name = is_secret_name(name) && is_literal(value);
            if !by_name && !mentions_aws_access_key_id(value) {
                continue;
            }
            out.push(cx.at(&RULE, r, node).message(format!(
                "function `{}` sets the environment variable `{name}` to a hard-coded secret",
                r.addr
            )));
        }
    }
}

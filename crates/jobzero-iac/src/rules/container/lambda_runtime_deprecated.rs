use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A Lambda function on a runtime AWS has deprecated: `python2.7`, `python3.6` to
    /// `python3.9`, `nodejs` to `nodejs18.x`, `dotnetcore1.0` to `dotnetcore3.1`,
    /// `dotnet5.0`, `dotnet6`, `dotnet7`, `ruby2.5`, `ruby2.7`, `java8` (not `java8.al2`),
    /// `go1.x` and `provided` (Amazon Linux 1). Terraform `aws_lambda_function.runtime`;
    /// CloudFormation `AWS::Lambda::Function` and `AWS::Serverless::Function` `Runtime`.
    ///
    /// ## Why it matters
    /// A deprecated runtime gets no more security patches, neither for the language nor for
    /// the operating system under it, so known vulnerabilities stay in production; AWS then
    /// blocks creating and updating such functions, which turns the next urgent fix into a
    /// migration.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function" "thumbnail" {
    ///   function_name = "thumbnail"
    ///   runtime       = "python3.8"
    ///   handler       = "app.handler"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Move the function to a supported runtime (the newest version of its language is the
    /// longest supported) and test it:
    /// `runtime = "python3.13"`.
    ///
    /// ## References
    /// - CWE-1104
    /// - [AWS Lambda: runtime deprecation policy](https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtime-support-policy)
    /// - Checkov CKV_AWS_363
    pub static RULE = {
        id: "iac/lambda-runtime-deprecated",
        code: "IAC167",
        title: "function runs on a deprecated Lambda runtime",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::SUPPLY_VULN,
    }
}

/// Runtimes past their deprecation date.
const DEPRECATED: &[&str] = &[
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "nodejs",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet5.0",
    "dotnet6",
    "dotnet7",
    "ruby2.5",
    "ruby2.7",
    "java8",
    "go1.x",
    "provided",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let functions = cx
        .of(&["aws_lambda_function"])
        .into_iter()
        .map(|r| (r, r.at("runtime")))
        .chain(
            cx.of(&["AWS::Lambda::Function", "AWS::Serverless::Function"])
                .into_iter()
                .map(|r| (r, r.at("Runtime"))),
        );
    for (r, runtime) in functions {
        let Some(node) = runtime else { continue };
        let Some(name) = node.as_str() else { continue };
        if !DEPRECATED.contains(&name.trim()) {
            continue;
        }
        out.push(cx.at(&RULE, r, node).message(format!(
            "function `{}` uses the deprecated runtime `{name}`, which no longer receives security patches",
            r.addr
        )));
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, find};

declare_rule! {
    /// ## What it finds
    /// A Lambda function URL without authentication: `authorization_type = "NONE"` on
    /// `aws_lambda_function_url`, `AuthType: NONE` on a CloudFormation `AWS::Lambda::Url`.
    ///
    /// ## Why it matters
    /// The function gets a public HTTPS endpoint that anyone on the internet can call, as
    /// often as they like, with whatever input they choose; the function's role, data access
    /// and bill are exposed to them, and there is no WAF or throttling in front of it as with
    /// API Gateway.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function_url" "hook" {
    ///   function_name      = aws_lambda_function.hook.function_name
    ///   authorization_type = "NONE"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Use `authorization_type = "AWS_IAM"` and sign requests, or put the function behind API
    /// Gateway or CloudFront with authentication; a webhook that must stay public has to
    /// verify a signature on every request.
    ///
    /// ## References
    /// - CWE-306
    /// - [AWS: security and auth model for Lambda function URLs](https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html)
    /// - Checkov CKV_AWS_258
    pub static RULE = {
        id: "iac/lambda-function-url-public",
        code: "IAC057",
        title: "function URL without authentication",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_lambda_function_url", "AWS::Lambda::Url"]) {
        let key = if r.rtype == "aws_lambda_function_url" {
            "authorization_type"
        } else {
            "AuthType"
        };
        if let Found::Value(n) = find(&r.body, key)
            && n.as_str().is_some_and(|t| t.eq_ignore_ascii_case("NONE"))
        {
            out.push(cx.at(&RULE, r, n).message(format!(
                "function URL `{}` sets `{key}` to `{n}`, so anyone on the internet can invoke the function",
                r.addr
            )));
        }
    }
}

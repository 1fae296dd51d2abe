use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An API Gateway stage that writes no access log: `aws_api_gateway_stage` or
    /// `aws_apigatewayv2_stage` without an `access_log_settings` block; CloudFormation
    /// `AWS::ApiGateway::Stage` without `AccessLogSetting`, `AWS::ApiGatewayV2::Stage`
    /// without `AccessLogSettings`, and their SAM counterparts `AWS::Serverless::Api` and
    /// `AWS::Serverless::HttpApi`.
    ///
    /// ## Why it matters
    /// The access log records who called which route, from where, and with what result; it
    /// is the evidence needed to detect credential stuffing, scraping or a compromised client
    /// and to scope an incident.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_api_gateway_stage" "prod" {
    ///   rest_api_id   = aws_api_gateway_rest_api.api.id
    ///   deployment_id = aws_api_gateway_deployment.api.id
    ///   stage_name    = "prod"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Send access logs to a CloudWatch log group:
    /// `access_log_settings { destination_arn = aws_cloudwatch_log_group.api.arn format = jsonencode({...}) }`.
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: set up CloudWatch logging for REST APIs in API Gateway](https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html)
    /// - Checkov CKV_AWS_76, CKV_AWS_95
    pub static RULE = {
        id: "iac/api-gateway-stage-access-logging-disabled",
        code: "IAC076",
        title: "an API Gateway stage without access logging",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

/// The stage types, with the argument that configures their access log.
const STAGES: &[(&str, &str)] = &[
    ("aws_api_gateway_stage", "access_log_settings"),
    ("aws_apigatewayv2_stage", "access_log_settings"),
    ("AWS::ApiGateway::Stage", "AccessLogSetting"),
    ("AWS::ApiGatewayV2::Stage", "AccessLogSettings"),
    ("AWS::Serverless::Api", "AccessLogSetting"),
    ("AWS::Serverless::HttpApi", "AccessLogSettings"),
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for &(rtype, key) in STAGES {
        for r in cx.of(&[rtype]) {
            if r.is_set(key) {
                continue;
            }
            out.push(
                cx.missing(&RULE, r, key)
                    .message(format!("API Gateway stage `{}` has no `{key}`", r.addr)),
            );
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

use super::common::{Setting, Text, setting, text_of};

declare_rule! {
    /// ## What it finds
    /// A REST API method that anyone can call: `aws_api_gateway_method` with
    /// `authorization = "NONE"`, CloudFormation `AWS::ApiGateway::Method` with
    /// `AuthorizationType: NONE` or none at all, when the method does not require an API key
    /// either. `OPTIONS` methods (CORS preflight) and methods of a `PRIVATE` API are not
    /// reported.
    ///
    /// ## Why it matters
    /// The back end behind the method (a Lambda function, a service, a database) is called by
    /// whoever finds the URL, with no identity to rate-limit, audit or revoke; a method that
    /// was meant to be internal becomes a public entry point.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_api_gateway_method" "orders" {
    ///   rest_api_id   = aws_api_gateway_rest_api.api.id
    ///   resource_id   = aws_api_gateway_resource.orders.id
    ///   http_method   = "POST"
    ///   authorization = "NONE"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Protect the method with an authorizer (`AWS_IAM`, `COGNITO_USER_POOLS` or `CUSTOM`);
    /// for a deliberately public endpoint, document it and at least require an API key with a
    /// usage plan.
    ///
    /// ## References
    /// - CWE-306
    /// - [AWS: controlling and managing access to a REST API in API Gateway](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html)
    /// - Checkov CKV_AWS_59
    pub static RULE = {
        id: "iac/api-gateway-method-without-auth",
        code: "IAC078",
        title: "an API Gateway method without authorization",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// Whether the API that `api` references is a private (VPC-only) API.
fn private_api(cx: &Cx<'_>, api: Option<&Node>, types: &str) -> bool {
    api.and_then(Node::as_ref)
        .and_then(|a| cx.graph.get(a))
        .and_then(|a| a.at(types))
        .is_some_and(|t| {
            t.strings()
                .iter()
                .any(|s| s.eq_ignore_ascii_case("PRIVATE"))
        })
}

/// Whether the method is a real, unauthenticated call: not `OPTIONS`, no API key.
fn open_method(r: &Resource, method_key: &str, api_key: &str) -> bool {
    let method_ok = matches!(
        text_of(r.body.get_direct(method_key)),
        Text::Is(m, _) if !m.eq_ignore_ascii_case("OPTIONS")
    );
    method_ok && matches!(setting(r, api_key), Setting::Off(_) | Setting::Absent)
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_api_gateway_method"]) {
        let Some(auth) = r.body.get_direct("authorization") else {
            continue;
        };
        if !auth
            .as_str()
            .is_some_and(|a| a.eq_ignore_ascii_case("NONE"))
            || !open_method(r, "http_method", "api_key_required")
            || private_api(cx, r.at("rest_api_id"), "endpoint_configuration.types")
        {
            continue;
        }
        out.push(cx.at(&RULE, r, auth).message(format!(
            "method `{}` requires neither authorization (`authorization = \"NONE\"`) nor an API key",
            r.addr
        )));
    }
    for r in cx.of(&["AWS::ApiGateway::Method"]) {
        if !open_method(r, "HttpMethod", "ApiKeyRequired")
            || private_api(cx, r.at("RestApiId"), "EndpointConfiguration.Types")
        {
            continue;
        }
        match text_of(r.body.get_direct("AuthorizationType")) {
            Text::Is(a, n) if a.eq_ignore_ascii_case("NONE") => {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "method `{}` requires neither authorization (`AuthorizationType: NONE`) nor an API key",
                    r.addr
                )));
            }
            Text::Absent => {
                out.push(cx.missing(&RULE, r, "AuthorizationType").message(format!(
                    "method `{}` has no `AuthorizationType` (so `NONE`) and requires no API key",
                    r.addr
                )));
            }
            Text::Is(..) | Text::Unknown => {}
        }
    }
}

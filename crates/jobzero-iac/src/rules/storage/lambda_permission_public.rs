use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Found, find, unset};

declare_rule! {
    /// ## What it finds
    /// A Lambda resource-based permission granted to everyone: `principal = "*"` on
    /// `aws_lambda_permission`, `Principal: "*"` on a CloudFormation `AWS::Lambda::Permission`,
    /// with no `source_arn`/`SourceArn`, `source_account`/`SourceAccount` or
    /// `principal_org_id`/`PrincipalOrgID` to limit it. Permissions for
    /// `lambda:InvokeFunctionUrl` are left to `iac/lambda-function-url-public`, which reports
    /// the URL itself.
    ///
    /// ## Why it matters
    /// Any AWS account can then invoke the function directly (or perform whatever action is
    /// granted), with arbitrary input, using its role's permissions and running up its costs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_permission" "anyone" {
    ///   statement_id  = "AllowAnyone"
    ///   action        = "lambda:InvokeFunction"
    ///   function_name = aws_lambda_function.report.function_name
    ///   principal     = "*"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Grant the permission to the calling service or account (`principal =
    /// "events.amazonaws.com"`, an account id) and pin the caller with `source_arn` or
    /// `source_account`, or to your organisation with `principal_org_id`.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: resource-based policies for Lambda](https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html)
    /// - Checkov CKV_AWS_301
    pub static RULE = {
        id: "iac/lambda-permission-public",
        code: "IAC058",
        title: "function permission granted to every AWS account",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_lambda_permission", "AWS::Lambda::Permission"]) {
        let tf = r.rtype == "aws_lambda_permission";
        let (principal, action, limits): (&str, &str, [&str; 3]) = if tf {
            (
                "principal",
                "action",
                ["source_arn", "source_account", "principal_org_id"],
            )
        } else {
            (
                "Principal",
                "Action",
                ["SourceArn", "SourceAccount", "PrincipalOrgID"],
            )
        };
        let Found::Value(p) = find(&r.body, principal) else {
            continue;
        };
        if p.as_str().map(str::trim) != Some("*") {
            continue;
        }
        if r.str_at(action)
            .is_some_and(|a| a.eq_ignore_ascii_case("lambda:InvokeFunctionUrl"))
        {
            continue;
        }
        if !limits.iter().all(|k| unset(&r.body, k)) {
            continue;
        }
        let what = r.str_at(action).unwrap_or("the granted action");
        out.push(cx.at(&RULE, r, p).message(format!(
            "`{}` grants `{what}` to principal `{p}` with no source or organisation condition, so any AWS account can use it",
            r.addr
        )));
    }
}

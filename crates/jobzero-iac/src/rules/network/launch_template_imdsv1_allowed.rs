use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

use super::common::{Imds, account_requires_imdsv2, imds};

declare_rule! {
    /// ## What it finds
    /// A launch template or launch configuration whose instances answer IMDSv1 requests:
    /// `aws_launch_template` and `aws_launch_configuration` without
    /// `metadata_options { http_tokens = "required" }`; CloudFormation
    /// `AWS::EC2::LaunchTemplate` without `LaunchTemplateData.MetadataOptions.HttpTokens:
    /// required`, `AWS::AutoScaling::LaunchConfiguration` without
    /// `MetadataOptions.HttpTokens: required`. A disabled endpoint is fine; a missing setting
    /// is not reported when the module sets `aws_ec2_instance_metadata_defaults` to
    /// `required`.
    ///
    /// ## Why it matters
    /// Every instance of the Auto Scaling group, EKS node group or fleet built from the
    /// template inherits IMDSv1, which turns any server-side request forgery into stolen
    /// instance role credentials.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_launch_template" "nodes" {
    ///   image_id      = "ami-0abcdef1234567890"
    ///   instance_type = "m6i.large"
    ///   metadata_options {
    ///     http_tokens = "optional"
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Require session tokens in the template:
    /// `metadata_options { http_endpoint = "enabled" http_tokens = "required" }`.
    ///
    /// ## References
    /// - CWE-918
    /// - [AWS: configure instance metadata options for new instances](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html)
    /// - Checkov CKV_AWS_79
    pub static RULE = {
        id: "iac/launch-template-imdsv1-allowed",
        code: "IAC080",
        title: "launch template allows IMDSv1",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IMDSV2,
    }
}

fn report(
    cx: &Cx<'_>,
    out: &mut Sink,
    r: &Resource,
    options: Option<&Node>,
    keys: (&str, &str),
    missing: &str,
    account_default: bool,
) {
    match imds(options, keys.0, keys.1) {
        Imds::Optional(n) => out.push(cx.at(&RULE, r, n).message(format!(
            "`{}` lets its instances accept IMDSv1 requests (`{} = {n}`)",
            r.addr, keys.1
        ))),
        Imds::Absent if !account_default => out.push(
            cx.missing(&RULE, r, missing)
                .confidence(Confidence::Medium)
                .message(format!(
                    "`{}` does not require IMDSv2 tokens (`{missing}` is not `required`)",
                    r.addr
                )),
        ),
        _ => {}
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let account_default = account_requires_imdsv2(cx);
    for r in cx.of(&["aws_launch_template", "aws_launch_configuration"]) {
        report(
            cx,
            out,
            r,
            r.body.get_direct("metadata_options"),
            ("http_endpoint", "http_tokens"),
            "metadata_options.http_tokens",
            account_default,
        );
    }
    for r in cx.of(&["AWS::EC2::LaunchTemplate"]) {
        let Some(data) = r.body.get_direct("LaunchTemplateData") else {
            continue;
        };
        if !data.is_known() {
            continue;
        }
        report(
            cx,
            out,
            r,
            data.get_direct("MetadataOptions"),
            ("HttpEndpoint", "HttpTokens"),
            "LaunchTemplateData.MetadataOptions.HttpTokens",
            account_default,
        );
    }
    for r in cx.of(&["AWS::AutoScaling::LaunchConfiguration"]) {
        report(
            cx,
            out,
            r,
            r.body.get_direct("MetadataOptions"),
            ("HttpEndpoint", "HttpTokens"),
            "MetadataOptions.HttpTokens",
            account_default,
        );
    }
}

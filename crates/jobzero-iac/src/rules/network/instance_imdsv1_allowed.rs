use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Imds, account_requires_imdsv2, imds};

declare_rule! {
    /// ## What it finds
    /// An EC2 instance whose metadata service answers IMDSv1 requests: `aws_instance` with
    /// `metadata_options { http_tokens = "optional" }`, or without `http_tokens` (the default
    /// is `optional` unless the AMI or the account default says otherwise); CloudFormation
    /// `AWS::EC2::Instance` with `MetadataOptions.HttpTokens: optional`, or with neither
    /// `MetadataOptions` nor a `LaunchTemplate` that could require tokens. Instances with the
    /// endpoint disabled (`http_endpoint = "disabled"`), instances launched from a launch
    /// template (reported by `launch-template-imdsv1-allowed`), and, for a missing setting,
    /// modules that set `aws_ec2_instance_metadata_defaults` to `required` are not reported.
    ///
    /// ## Why it matters
    /// IMDSv1 answers any plain GET to `169.254.169.254`; a server-side request forgery in
    /// the application, or a misconfigured proxy, then hands the instance role's credentials
    /// to the attacker (the Capital One breach). IMDSv2's session token blocks that.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Require session tokens: `metadata_options { http_tokens = "required" }`, or set the
    /// account default with `aws_ec2_instance_metadata_defaults`.
    ///
    /// ## References
    /// - CWE-918
    /// - [AWS: configure the instance metadata options](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html)
    /// - Checkov CKV_AWS_79
    pub static RULE = {
        id: "iac/instance-imdsv1-allowed",
        code: "IAC079",
        title: "instance metadata service accepts IMDSv1",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IMDSV2,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let account_default = account_requires_imdsv2(cx);
    for r in cx.of(&["aws_instance"]) {
        let options = r.body.get_direct("metadata_options");
        match imds(options, "http_endpoint", "http_tokens") {
            Imds::Optional(n) => out.push(cx.at(&RULE, r, n).message(format!(
                "instance `{}` accepts IMDSv1 requests (`http_tokens = {n}`)",
                r.addr
            ))),
            Imds::Absent => {
                if account_default || (options.is_none() && r.is_set("launch_template")) {
                    continue;
                }
                out.push(
                    cx.missing(&RULE, r, "metadata_options.http_tokens")
                        .confidence(Confidence::Medium)
                        .message(format!(
                            "instance `{}` does not require IMDSv2 tokens (`metadata_options.http_tokens` is not `required`)",
                            r.addr
                        )),
                );
            }
            Imds::Disabled | Imds::Required | Imds::Unknown => {}
        }
    }
    for r in cx.of(&["AWS::EC2::Instance"]) {
        let options = r.body.get_direct("MetadataOptions");
        match imds(options, "HttpEndpoint", "HttpTokens") {
            Imds::Optional(n) => out.push(cx.at(&RULE, r, n).message(format!(
                "instance `{}` accepts IMDSv1 requests (`HttpTokens: {n}`)",
                r.addr
            ))),
            Imds::Absent => {
                if options.is_some() || r.is_set("LaunchTemplate") {
                    continue;
                }
                out.push(
                    cx.missing(&RULE, r, "MetadataOptions")
                        .confidence(Confidence::Medium)
                        .message(format!(
                            "instance `{}` has neither `MetadataOptions` nor a `LaunchTemplate` that requires IMDSv2 tokens",
                            r.addr
                        )),
                );
            }
            Imds::Disabled | Imds::Required | Imds::Unknown => {}
        }
    }
}

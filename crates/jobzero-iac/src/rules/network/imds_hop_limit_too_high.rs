use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

use super::common::{Imds, imds};

declare_rule! {
    /// ## What it finds
    /// Instance metadata options that require IMDSv2 tokens but let the token response
    /// travel more than one network hop: `http_put_response_hop_limit` above 1 in the
    /// `metadata_options` of `aws_instance`, `aws_launch_template` or
    /// `aws_launch_configuration`; `HttpPutResponseHopLimit` above 1 in the `MetadataOptions`
    /// of CloudFormation `AWS::EC2::Instance`, `AWS::EC2::LaunchTemplate`
    /// (`LaunchTemplateData`) or `AWS::AutoScaling::LaunchConfiguration`. Options that still
    /// allow IMDSv1 are left to the IMDSv1 rules, for which the hop limit changes nothing.
    ///
    /// ## Why it matters
    /// With a hop limit of 2 or more, containers on the instance (Docker bridge networking,
    /// Kubernetes pods) can obtain a metadata token and read the node's role credentials,
    /// which usually carry far more permissions than any single workload should have.
    ///
    /// ## Example
    /// ```hcl
    /// metadata_options {
    ///   http_tokens                 = "required"
    ///   http_put_response_hop_limit = 2
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Keep `http_put_response_hop_limit = 1` and give workloads their own credentials (EKS
    /// Pod Identity or IRSA, ECS task roles) instead of the node's.
    ///
    /// ## References
    /// - CWE-668
    /// - [AWS: instance metadata access considerations](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html)
    /// - Checkov CKV_AWS_341
    pub static RULE = {
        id: "iac/imds-hop-limit-too-high",
        code: "IAC081",
        title: "instance metadata token hop limit lets containers reach it",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::IMDSV2,
    }
}

fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, options: Option<&Node>, keys: [&str; 3]) {
    let [endpoint, tokens, hops] = keys;
    if !matches!(imds(options, endpoint, tokens), Imds::Required) {
        return;
    }
    let Some(n) = options.and_then(|o| o.get(hops)) else {
        return;
    };
    if let Some(limit) = n.as_num()
        && limit > 1.0
    {
        out.push(cx.at(&RULE, r, n).message(format!(
            "`{}` lets metadata tokens travel {limit} hops (`{hops} = {limit}`), far enough for containers on the host",
            r.addr
        )));
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    const TF: [&str; 3] = [
        "http_endpoint",
        "http_tokens",
        "http_put_response_hop_limit",
    ];
    const CFN: [&str; 3] = ["HttpEndpoint", "HttpTokens", "HttpPutResponseHopLimit"];
    for r in cx.of(&[
        "aws_instance",
        "aws_launch_template",
        "aws_launch_configuration",
    ]) {
        report(cx, out, r, r.body.get_direct("metadata_options"), TF);
    }
    for r in cx.of(&[
        "AWS::EC2::Instance",
        "AWS::AutoScaling::LaunchConfiguration",
    ]) {
        report(cx, out, r, r.body.get_direct("MetadataOptions"), CFN);
    }
    for r in cx.of(&["AWS::EC2::LaunchTemplate"]) {
        if let Some(data) = r.body.get_direct("LaunchTemplateData") {
            report(cx, out, r, data.get_direct("MetadataOptions"), CFN);
        }
    }
}

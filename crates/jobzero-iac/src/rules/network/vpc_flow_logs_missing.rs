use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;

declare_rule! {
    /// ## What it finds
    /// A VPC that no flow log records: an `aws_vpc` that no `aws_flow_log` names in `vpc_id`
    /// (in any file of the module), a CloudFormation `AWS::EC2::VPC` that no
    /// `AWS::EC2::FlowLog` names in `ResourceId`. A VPC passed to a module whose name or
    /// source mentions flow logs is given the benefit of the doubt.
    ///
    /// ## Why it matters
    /// Flow logs are the network's audit trail: without them there is no record of which
    /// hosts talked to which addresses, so data exfiltration, scanning or a compromised
    /// instance calling home cannot be detected or scoped.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc" "main" {
    ///   cidr_block = "10.0.0.0/16"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add an `aws_flow_log` with `vpc_id = aws_vpc.main.id` and `traffic_type = "ALL"`,
    /// delivered to CloudWatch Logs or S3.
    ///
    /// ## References
    /// - CWE-778
    /// - [AWS: logging IP traffic using VPC Flow Logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html)
    /// - Checkov CKV2_AWS_11
    pub static RULE = {
        id: "iac/vpc-flow-logs-missing",
        code: "IAC086",
        title: "a VPC without flow logs",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::LOG_AUDIT,
    }
}

/// Whether a module call that looks like a flow log module receives the VPC.
fn flow_log_module(cx: &Cx<'_>, vpc: &Resource) -> bool {
    cx.graph.of(&["module"]).any(|m| {
        let flow = m.name.to_ascii_lowercase().contains("flow")
            || m.str_at("source")
                .is_some_and(|s| s.to_ascii_lowercase().contains("flow"));
        flow && m
            .body
            .entries()
            .iter()
            .any(|(_, v)| v.as_ref() == Some(vpc.addr.as_str()))
    })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for vpc in cx.of(&["aws_vpc"]) {
        if !cx.graph.linked(vpc, "aws_flow_log", "vpc_id").is_empty() || flow_log_module(cx, vpc) {
            continue;
        }
        out.push(cx.missing(&RULE, vpc, "aws_flow_log").message(format!(
            "VPC `{}` has no `aws_flow_log` recording its traffic",
            vpc.addr
        )));
    }
    for vpc in cx.of(&["AWS::EC2::VPC"]) {
        if !cx
            .graph
            .linked(vpc, "AWS::EC2::FlowLog", "ResourceId")
            .is_empty()
        {
            continue;
        }
        out.push(cx.missing(&RULE, vpc, "FlowLog").message(format!(
            "VPC `{}` has no `AWS::EC2::FlowLog` recording its traffic",
            vpc.addr
        )));
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An EC2 instance, launch template or launch configuration that asks for a public IP
    /// address: `associate_public_ip_address = true` on `aws_instance` and
    /// `aws_launch_configuration`, in a `network_interfaces` block of `aws_launch_template`;
    /// CloudFormation `AssociatePublicIpAddress: true` in the `NetworkInterfaces` of
    /// `AWS::EC2::Instance` or of an `AWS::EC2::LaunchTemplate`'s `LaunchTemplateData`, and
    /// on `AWS::AutoScaling::LaunchConfiguration`.
    ///
    /// ## Why it matters
    /// An instance with a public address is one security group rule away from the internet;
    /// instances belong in private subnets, reached through a load balancer, and managed
    /// through SSM rather than direct connections.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami                         = "ami-0abcdef1234567890"
    ///   instance_type               = "t3.micro"
    ///   associate_public_ip_address = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Launch instances in private subnets without public addresses, and publish services
    /// through a load balancer or API gateway.
    ///
    /// ## References
    /// - CWE-668
    /// - [AWS: Amazon EC2 instance IP addressing](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html)
    /// - Checkov CKV_AWS_88
    pub static RULE = {
        id: "iac/instance-public-ip",
        code: "IAC064",
        title: "instance gets a public IP address",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, n: Option<&Node>, key: &str) {
    if let Some(n) = n
        && n.as_bool() == Some(true)
    {
        out.push(cx.at(&RULE, r, n).message(format!(
            "`{}` gets a public IP address (`{key} = true`)",
            r.addr
        )));
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    const TF: &str = "associate_public_ip_address";
    const CFN: &str = "AssociatePublicIpAddress";
    for r in cx.of(&["aws_instance", "aws_launch_configuration"]) {
        report(cx, out, r, r.body.get_direct(TF), TF);
    }
    for r in cx.of(&["aws_launch_template"]) {
        for ni in r.body.all("network_interfaces") {
            report(cx, out, r, ni.get_direct(TF), TF);
        }
    }
    for r in cx.of(&["AWS::EC2::Instance"]) {
        for ni in r.body.all("NetworkInterfaces") {
            report(cx, out, r, ni.get_direct(CFN), CFN);
        }
    }
    for r in cx.of(&["AWS::EC2::LaunchTemplate"]) {
        if let Some(data) = r.at("LaunchTemplateData") {
            for ni in data.all("NetworkInterfaces") {
                report(cx, out, r, ni.get_direct(CFN), CFN);
            }
        }
    }
    for r in cx.of(&["AWS::AutoScaling::LaunchConfiguration"]) {
        report(cx, out, r, r.body.get_direct(CFN), CFN);
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A subnet that gives every instance launched in it a public IP address:
    /// `map_public_ip_on_launch = true` on `aws_subnet` or `aws_default_subnet`,
    /// `MapPublicIpOnLaunch: true` on CloudFormation `AWS::EC2::Subnet`.
    ///
    /// ## Why it matters
    /// Every instance, container host or database placed in the subnet becomes addressable
    /// from the internet without anyone asking for it; one permissive security group is then
    /// enough to expose it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_subnet" "app" {
    ///   vpc_id                  = aws_vpc.main.id
    ///   cidr_block              = "10.0.1.0/24"
    ///   map_public_ip_on_launch = true
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Leave `map_public_ip_on_launch` off and give public addresses only to the resources
    /// that need one (load balancers, NAT gateways), explicitly.
    ///
    /// ## References
    /// - CWE-668
    /// - [AWS: IP addressing for your VPCs and subnets](https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html)
    /// - Checkov CKV_AWS_130
    pub static RULE = {
        id: "iac/subnet-public-ip-on-launch",
        code: "IAC065",
        title: "subnet assigns public IP addresses on launch",
        family: Family::Iac,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

/// The subnet types of each syntax, with the argument that maps public addresses.
const SUBNETS: &[(&[&str], &str)] = &[
    (
        &["aws_subnet", "aws_default_subnet"],
        "map_public_ip_on_launch",
    ),
    (&["AWS::EC2::Subnet"], "MapPublicIpOnLaunch"),
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (types, key) in SUBNETS {
        for r in cx.of(types) {
            if let Some(n) = r.body.get_direct(key)
                && n.as_bool() == Some(true)
            {
                out.push(cx.at(&RULE, r, n).message(format!(
                    "subnet `{}` gives every instance a public IP address (`{key} = true`)",
                    r.addr
                )));
            }
        }
    }
}

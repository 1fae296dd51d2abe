use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An `aws_default_security_group` (the group every VPC has, which Terraform adopts and
    /// strips of its rules unless rules are declared) that keeps an `ingress` or `egress`
    /// block, or that an `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule` or
    /// `aws_vpc_security_group_egress_rule` adds a rule to.
    ///
    /// ## Why it matters
    /// Resources launched without an explicit security group land in the default one. When it
    /// allows traffic, a forgotten instance or endpoint is reachable, and everything in the
    /// group can talk to everything else in it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_default_security_group" "default" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     protocol  = "-1"
    ///     self      = true
    ///     from_port = 0
    ///     to_port   = 0
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Declare the default security group with no rules at all, so that Terraform removes
    /// them, and give every resource a security group of its own.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: default security groups for your VPCs](https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html)
    /// - Checkov CKV2_AWS_12
    pub static RULE = {
        id: "iac/default-security-group-allows-traffic",
        code: "IAC062",
        title: "default security group allows traffic",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::NET_EXPOSED,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for sg in cx.of(&["aws_default_security_group"]) {
        for key in ["ingress", "egress"] {
            let rules = sg.body.all(key);
            let Some(&first) = rules.first() else {
                continue;
            };
            out.push(cx.at(&RULE, sg, first).message(format!(
                "default security group `{}` keeps {} `{key}` rule{}; it should allow no traffic",
                sg.addr,
                rules.len(),
                if rules.len() > 1 { "s" } else { "" }
            )));
        }
    }
    for r in cx.of(&[
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
    ]) {
        let Some(target) = r.at("security_group_id") else {
            continue;
        };
        let Some(addr) = target.as_ref() else {
            continue;
        };
        if cx
            .graph
            .get(addr)
            .is_some_and(|sg| sg.rtype == "aws_default_security_group")
        {
            out.push(cx.at(&RULE, r, target).message(format!(
                "`{}` adds a rule to the default security group `{addr}`; it should allow no traffic",
                r.addr
            )));
        }
    }
}

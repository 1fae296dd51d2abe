use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An `aws_ami_launch_permission` with `group = "all"`, which makes a machine image
    /// public: every AWS account can find it, launch it and copy its snapshots.
    ///
    /// ## Why it matters
    /// An image holds everything its instance had on disk at creation: application code,
    /// configuration files, SSH host keys, cached credentials and sometimes data. Public AMIs
    /// are searched continuously for exactly these.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ami_launch_permission" "app" {
    ///   image_id = aws_ami_from_instance.app.id
    ///   group    = "all"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Share the image with named accounts (`account_id`) or with your organisation
    /// (`organization_arn`, `organizational_unit_arn`), and turn on block public access for
    /// AMIs (`aws_ec2_image_block_public_access`).
    ///
    /// ## References
    /// - CWE-200
    /// - [AWS: make an AMI public](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html)
    /// - [AWS: block public access to your AMIs](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html)
    pub static RULE = {
        id: "iac/ami-launch-permission-public",
        code: "IAC020",
        title: "machine image shared with every AWS account",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_ami_launch_permission"]) {
        let Some(n) = r.at("group") else {
            continue;
        };
        if n.as_str().is_some_and(|g| g.eq_ignore_ascii_case("all")) {
            out.push(cx.at(&RULE, r, n).message(format!(
                "`{}` sets `group` to `{n}`, so every AWS account can launch and copy the image",
                r.addr
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::{Switch, ebs_encrypted_by_default, switch, unset};

declare_rule! {
    /// ## What it finds
    /// An EBS volume that is not encrypted: `encrypted` set to `false` or left out (default
    /// `false`) on `aws_ebs_volume`, `Encrypted` on a CloudFormation `AWS::EC2::Volume`. A
    /// volume created from a snapshot without an explicit setting inherits the snapshot's
    /// encryption and is not reported, nor is any volume of a Terraform module that turns on
    /// `aws_ebs_encryption_by_default`.
    ///
    /// ## Why it matters
    /// An unencrypted volume's snapshots are unencrypted too, and snapshots are copied,
    /// shared with other accounts and sometimes made public by mistake: whoever gets one reads
    /// the disk. Encryption also makes a key policy a second gate on every copy.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `encrypted = true` (with `kms_key_id` for a customer-managed key), or turn on EBS
    /// encryption by default for the account with `aws_ebs_encryption_by_default`.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: Amazon EBS encryption](https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html)
    /// - Checkov CKV_AWS_3
    pub static RULE = {
        id: "iac/ebs-volume-unencrypted",
        code: "IAC017",
        title: "unencrypted EBS volume",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let tf_default = ebs_encrypted_by_default(cx);
    for (types, key, snapshot) in [
        (&["aws_ebs_volume"], "encrypted", "snapshot_id"),
        (&["AWS::EC2::Volume"], "Encrypted", "SnapshotId"),
    ] {
        for r in cx.of(types) {
            if r.rtype == "aws_ebs_volume" && tf_default {
                continue;
            }
            match switch(&r.body, key) {
                Switch::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                    "volume `{}` sets `{key}` to `{n}`, so its data and snapshots are stored unencrypted",
                    r.addr
                ))),
                Switch::Default if unset(&r.body, snapshot) => {
                    out.push(cx.missing(&RULE, r, key).message(format!(
                        "volume `{}` does not set `{key}` (default `false`), so its data and snapshots are stored unencrypted unless the account encrypts by default",
                        r.addr
                    )))
                }
                Switch::Default | Switch::On | Switch::Unknown => {}
            }
        }
    }
}

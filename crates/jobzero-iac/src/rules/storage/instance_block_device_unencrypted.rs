use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

use super::util::{Switch, ebs_encrypted_by_default, switch, unset};

declare_rule! {
    /// ## What it finds
    /// An EBS volume declared inside an instance or launch definition without encryption:
    /// `encrypted` set to `false` or left out (default `false`) in the `root_block_device`
    /// and `ebs_block_device` blocks of `aws_instance` and `aws_launch_configuration`, and in
    /// the `ebs` block of `aws_launch_template` `block_device_mappings`; `Ebs.Encrypted` of
    /// the `BlockDeviceMappings` of CloudFormation `AWS::EC2::Instance`,
    /// `AWS::AutoScaling::LaunchConfiguration` and `AWS::EC2::LaunchTemplate`
    /// (`LaunchTemplateData`). A device created from a snapshot without an explicit setting
    /// inherits the snapshot's encryption and is not reported, nor is any device of a
    /// Terraform module that turns on `aws_ebs_encryption_by_default`.
    ///
    /// ## Why it matters
    /// Instance disks hold application data, logs and often credentials; unencrypted, every
    /// snapshot and AMI made from them is readable by whoever obtains a copy, and copies are
    /// routinely shared between accounts.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   root_block_device {
    ///     volume_size = 50
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `encrypted = true` on every device (with `kms_key_id` for a customer-managed key),
    /// or turn on EBS encryption by default for the account with
    /// `aws_ebs_encryption_by_default`.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: Amazon EBS encryption](https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html)
    /// - [AWS: block device mappings](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-device-mapping-concepts.html)
    /// - Checkov CKV_AWS_8
    pub static RULE = {
        id: "iac/instance-block-device-unencrypted",
        code: "IAC019",
        title: "instance or launch template block device not encrypted",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

/// One device: `block` is where the finding points when the setting is missing, `ebs` the
/// map holding `encrypted`/`Encrypted` and the snapshot id.
struct Device<'a> {
    block: &'a Node,
    ebs: &'a Node,
    label: String,
}

/// A label for a device: its device name when known, else `what`.
fn label(block: &Node, name_key: &str, what: &str) -> String {
    match block.get(name_key).and_then(Node::as_str) {
        Some(name) => format!("{what} `{name}`"),
        None => what.to_owned(),
    }
}

/// The devices of a Terraform instance or launch configuration.
fn tf_instance(r: &Resource) -> Vec<Device<'_>> {
    let mut out = Vec::new();
    for b in r.body.all("root_block_device") {
        out.push(Device {
            block: b,
            ebs: b,
            label: "`root_block_device`".to_owned(),
        });
    }
    for b in r.body.all("ebs_block_device") {
        out.push(Device {
            block: b,
            ebs: b,
            label: label(b, "device_name", "`ebs_block_device`"),
        });
    }
    out
}

/// The devices of a block device mapping list (`ebs_key` names the EBS part of an item).
fn mappings<'a>(list: Option<&'a Node>, ebs_key: &str, name_key: &str) -> Vec<Device<'a>> {
    let mut out = Vec::new();
    let Some(list) = list else {
        return out;
    };
    for m in list.items() {
        // Instance-store and suppressed devices have no EBS part.
        let Some(ebs) = m.get(ebs_key) else {
            continue;
        };
        out.push(Device {
            block: m,
            ebs,
            label: label(m, name_key, "block device"),
        });
    }
    out
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let tf_default = ebs_encrypted_by_default(cx);
    for r in cx.of(&[
        "aws_instance",
        "aws_launch_configuration",
        "aws_launch_template",
        "AWS::EC2::Instance",
        "AWS::AutoScaling::LaunchConfiguration",
        "AWS::EC2::LaunchTemplate",
    ]) {
        let (devices, key, snapshot) = match r.rtype.as_str() {
            "aws_instance" | "aws_launch_configuration" => {
                (tf_instance(r), "encrypted", "snapshot_id")
            }
            "aws_launch_template" => (
                mappings(
                    r.body.get_direct("block_device_mappings"),
                    "ebs",
                    "device_name",
                ),
                "encrypted",
                "snapshot_id",
            ),
            "AWS::EC2::LaunchTemplate" => (
                mappings(
                    r.at("LaunchTemplateData.BlockDeviceMappings"),
                    "Ebs",
                    "DeviceName",
                ),
                "Encrypted",
                "SnapshotId",
            ),
            _ => (
                mappings(r.at("BlockDeviceMappings"), "Ebs", "DeviceName"),
                "Encrypted",
                "SnapshotId",
            ),
        };
        let terraform = !r.rtype.starts_with("AWS::");
        if terraform && tf_default {
            continue;
        }
        // No root device block at all: the root volume takes the image's encryption, which is
        // none for the public AMIs most modules start from.
        if matches!(r.rtype.as_str(), "aws_instance" | "aws_launch_configuration")
            && r.body.get_direct("root_block_device").is_none()
        {
            out.push(
                cx.missing(&RULE, r, "root_block_device.encrypted")
                    .confidence(Confidence::Medium)
                    .message(format!(
                        "`{}` has no `root_block_device` with `encrypted = true`, so its root volume is unencrypted unless its image or the account encrypts it",
                        r.addr
                    )),
            );
        }
        for d in devices {
            match switch(d.ebs, key) {
                Switch::Off(n) => out.push(cx.at(&RULE, r, n).message(format!(
                    "`{}` sets `{key}` to `{n}` on {}, so the volume is stored unencrypted",
                    r.addr, d.label
                ))),
                Switch::Default if unset(d.ebs, snapshot) => {
                    out.push(cx.at(&RULE, r, d.block).message(format!(
                        "`{}` does not set `{key}` on {} (default `false`), so the volume is unencrypted unless its image or the account encrypts it",
                        r.addr, d.label
                    )))
                }
                Switch::Default | Switch::On | Switch::Unknown => {}
            }
        }
    }
}

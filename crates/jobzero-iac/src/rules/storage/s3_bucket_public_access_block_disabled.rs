use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

use super::util::{Found, Switch, find, switch};

declare_rule! {
    /// ## What it finds
    /// An S3 Block Public Access configuration that leaves one of its four protections off:
    /// `block_public_acls`, `block_public_policy`, `ignore_public_acls` or
    /// `restrict_public_buckets` set to `false` or left out (they default to `false` once the
    /// configuration exists) in `aws_s3_bucket_public_access_block` or
    /// `aws_s3_account_public_access_block`, and the same flags of a CloudFormation bucket's
    /// `PublicAccessBlockConfiguration`. A bucket with no configuration at all is not
    /// reported: since April 2023 new buckets have all four protections on by default.
    ///
    /// ## Why it matters
    /// Block Public Access is the safety net that keeps a mistaken public ACL or bucket policy
    /// from taking effect. With a protection off, a single `public-read` ACL or a `Principal:
    /// "*"` statement, written by anyone with write access to the bucket's settings, exposes
    /// its content to the internet.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_public_access_block" "exports" {
    ///   bucket                  = aws_s3_bucket.exports.id
    ///   block_public_acls       = true
    ///   block_public_policy     = false
    ///   ignore_public_acls      = true
    ///   restrict_public_buckets = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set all four flags to `true` (or remove the configuration and rely on the default), and
    /// publish content that must be public through CloudFront with origin access control.
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: blocking public access to S3 storage](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
    /// - Checkov CKV_AWS_53
    /// - Checkov CKV_AWS_54
    /// - Checkov CKV_AWS_55
    /// - Checkov CKV_AWS_56
    pub static RULE = {
        id: "iac/s3-bucket-public-access-block-disabled",
        code: "IAC012",
        title: "bucket or account with an S3 Block Public Access protection turned off",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

const TF_FLAGS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

const CFN_FLAGS: [&str; 4] = [
    "BlockPublicAcls",
    "BlockPublicPolicy",
    "IgnorePublicAcls",
    "RestrictPublicBuckets",
];

/// Reports the flags of `config` (a node of `r`, its body or a nested map) that are off;
/// `prefix` is the route from the body to `config` for a finding about a missing flag.
fn report(cx: &Cx<'_>, out: &mut Sink, r: &Resource, config: &Node, prefix: &str, flags: &[&str]) {
    let mut off: Vec<&str> = Vec::new();
    let mut written: Option<&Node> = None;
    for flag in flags {
        match switch(config, flag) {
            Switch::Off(n) => {
                off.push(*flag);
                if written.is_none() {
                    written = Some(n);
                }
            }
            Switch::Default => off.push(*flag),
            Switch::On | Switch::Unknown => {}
        }
    }
    let Some(first) = off.first() else {
        return;
    };
    let names: Vec<String> = off.iter().map(|f| format!("`{f}`")).collect();
    let builder = match written {
        Some(n) => cx.at(&RULE, r, n),
        None => cx.missing(&RULE, r, &format!("{prefix}{first}")),
    };
    out.push(builder.message(format!(
        "`{}` leaves {} off (false or not set), so a public ACL or bucket policy would take effect",
        r.addr,
        names.join(", ")
    )));
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&[
        "aws_s3_bucket_public_access_block",
        "aws_s3_account_public_access_block",
    ]) {
        if !r.body.is_known() {
            continue;
        }
        report(cx, out, r, &r.body, "", &TF_FLAGS);
    }
    for r in cx.of(&["AWS::S3::Bucket"]) {
        if let Found::Value(config) = find(&r.body, "PublicAccessBlockConfiguration") {
            report(
                cx,
                out,
                r,
                config,
                "PublicAccessBlockConfiguration.",
                &CFN_FLAGS,
            );
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;

declare_rule! {
    /// ## What it finds
    /// An S3 bucket ACL that grants access to everyone or to every AWS account: the canned
    /// ACLs `public-read`, `public-read-write` and `authenticated-read` in the `acl` argument
    /// of `aws_s3_bucket` or `aws_s3_bucket_acl` (AWS provider 4+), a `grant` (or an
    /// `access_control_policy` grant) to the `AllUsers` or `AuthenticatedUsers` group, and
    /// `AccessControl: PublicRead`, `PublicReadWrite` or `AuthenticatedRead` on a
    /// CloudFormation `AWS::S3::Bucket`.
    ///
    /// ## Why it matters
    /// A bucket ACL for `AllUsers` lets anyone on the internet list the bucket (and, with
    /// write, upload or overwrite objects); `AuthenticatedUsers` means any AWS account in the
    /// world, not your accounts. Listing a bucket is how most data leaks are discovered.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_acl" "exports" {
    ///   bucket = aws_s3_bucket.exports.id
    ///   acl    = "public-read"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Remove the public ACL and grant access through a bucket policy to named principals;
    /// keep ACLs disabled with object ownership `BucketOwnerEnforced` and S3 Block Public
    /// Access on. Serve public content through CloudFront with origin access control.
    ///
    /// ## References
    /// - CWE-732
    /// - [AWS: access control list overview](https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html)
    /// - [AWS: blocking public access to S3 storage](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
    /// - Checkov CKV_AWS_20
    /// - Checkov CKV_AWS_57
    pub static RULE = {
        id: "iac/s3-bucket-public-acl",
        code: "IAC011",
        title: "bucket ACL grants access to everyone or to any AWS account",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

/// What a canned ACL exposes, and whether it lets strangers write.
fn canned(acl: &str) -> Option<(&'static str, bool)> {
    match acl.replace('-', "").to_ascii_lowercase().as_str() {
        "publicread" => Some(("anyone on the internet can list the bucket", false)),
        "publicreadwrite" => Some((
            "anyone on the internet can list the bucket and write to it",
            true,
        )),
        "authenticatedread" => Some(("any AWS account in the world can list the bucket", false)),
        _ => None,
    }
}

/// Who a grantee group URI stands for, when it is a public group.
fn public_group(uri: &str) -> Option<&'static str> {
    let uri = uri.to_ascii_lowercase();
    if uri.ends_with("/global/allusers") {
        Some("everyone (`AllUsers`)")
    } else if uri.ends_with("/global/authenticatedusers") {
        Some("every AWS account (`AuthenticatedUsers`)")
    } else {
        None
    }
}

/// Reports one grant: `uri` names the grantee group, `perms` the permissions granted.
fn grant(cx: &Cx<'_>, out: &mut Sink, r: &Resource, uri: Option<&Node>, perms: Option<&Node>) {
    let Some(uri) = uri else {
        return;
    };
    let Some(who) = uri.as_str().and_then(public_group) else {
        return;
    };
    let granted: Vec<String> = perms
        .map(|p| {
            p.strings()
                .into_iter()
                .map(str::to_ascii_uppercase)
                .collect()
        })
        .unwrap_or_default();
    let shown = if granted.is_empty() {
        "access".to_owned()
    } else {
        format!("`{}`", granted.join(", "))
    };
    let mut f = cx
        .at(&RULE, r, uri)
        .message(format!("`{}` grants {shown} to {who}", r.addr));
    if who.contains("AllUsers")
        && granted
            .iter()
            .any(|p| p == "WRITE" || p == "FULL_CONTROL" || p == "WRITE_ACP")
    {
        f = f.severity(Severity::Critical);
    }
    out.push(f);
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_s3_bucket", "aws_s3_bucket_acl", "AWS::S3::Bucket"]) {
        let key = if r.rtype == "AWS::S3::Bucket" {
            "AccessControl"
        } else {
            "acl"
        };
        if let Some(n) = r.at(key)
            && let Some(acl) = n.as_str()
            && let Some((effect, writable)) = canned(acl)
        {
            let mut f = cx
                .at(&RULE, r, n)
                .message(format!("`{}` sets the ACL `{acl}`, so {effect}", r.addr));
            if writable {
                f = f.severity(Severity::Critical);
            }
            out.push(f);
        }
        // Inline grants of `aws_s3_bucket` (provider 3).
        for g in r.body.all("grant") {
            grant(cx, out, r, g.get("uri"), g.get("permissions"));
        }
        // `access_control_policy` of `aws_s3_bucket_acl` (provider 4+).
        for acp in r.body.all("access_control_policy") {
            for g in acp.all("grant") {
                grant(cx, out, r, g.at("grantee.uri"), g.get("permission"));
            }
        }
    }
}

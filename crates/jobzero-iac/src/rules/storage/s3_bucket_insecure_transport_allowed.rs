use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;
use crate::node::Node;
use crate::policy;

declare_rule! {
    /// ## What it finds
    /// An S3 bucket whose policy does not refuse plain HTTP: no statement with `Effect: Deny`
    /// and the condition `aws:SecureTransport` = `false`, in the bucket's inline `policy`, in
    /// any `aws_s3_bucket_policy` linked to it (AWS provider 4+), or in the CloudFormation
    /// `AWS::S3::BucketPolicy` whose `Bucket` names it. A bucket whose policy cannot be read
    /// (computed at deploy time, or from another module) is not reported.
    ///
    /// ## Why it matters
    /// S3 answers on plain HTTP as well as HTTPS. A client, SDK setting or script that uses
    /// `http://` sends requests, signed headers and object content in clear, readable and
    /// changeable by anyone on the network path; only the bucket policy can refuse them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "customer-exports"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Add a bucket policy statement that denies every request made without TLS:
    ///
    /// ```json
    /// {
    ///   "Sid": "DenyInsecureTransport",
    ///   "Effect": "Deny",
    ///   "Principal": "*",
    ///   "Action": "s3:*",
    ///   "Resource": ["arn:aws:s3:::customer-exports", "arn:aws:s3:::customer-exports/*"],
    ///   "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    /// }
    /// ```
    ///
    /// ## References
    /// - CWE-319
    /// - [AWS: security best practices for Amazon S3](https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html)
    /// - [AWS: enforce encryption in transit (S3.5)](https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5)
    pub static RULE = {
        id: "iac/s3-bucket-insecure-transport-allowed",
        code: "IAC014",
        title: "bucket policy does not deny requests without TLS",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::TLS,
    }
}

/// Whether a statement of the document denies requests made without TLS.
fn denies_plain_http(doc: &Node) -> bool {
    policy::statements(doc).iter().any(|s| {
        !s.allow
            && s.conditions.iter().any(|c| {
                c.key.eq_ignore_ascii_case("aws:SecureTransport")
                    && c.operator.to_ascii_lowercase().starts_with("bool")
                    && c.values.iter().any(|v| v.eq_ignore_ascii_case("false"))
            })
    })
}

/// What the policies of a bucket say about plain HTTP: `Some(true)` when one denies it,
/// `Some(false)` when every policy was read and none does, `None` when one cannot be read.
fn verdict(cx: &Cx<'_>, policies: &[&Node]) -> Option<bool> {
    let mut denied = false;
    for p in policies {
        let doc = policy::document(cx.graph, p)?;
        denied |= denies_plain_http(&doc);
    }
    Some(denied)
}

/// The policy arguments that apply to bucket `b`: its own `own` argument, if written, and the
/// `attr` argument of every `policy_type` resource linked to it through `link`.
fn policies<'a>(
    cx: &Cx<'a>,
    b: &'a Resource,
    own: Option<&str>,
    policy_type: &str,
    link: &str,
    attr: &str,
) -> Vec<&'a Node> {
    let mut out: Vec<&'a Node> = Vec::new();
    if let Some(key) = own
        && let Some(n) = b.at(key)
        && !n.is_null()
    {
        out.push(n);
    }
    for p in cx.graph.linked(b, policy_type, link) {
        if let Some(n) = p.at(attr) {
            out.push(n);
        }
    }
    out
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for b in cx.of(&["aws_s3_bucket"]) {
        let found = policies(
            cx,
            b,
            Some("policy"),
            "aws_s3_bucket_policy",
            "bucket",
            "policy",
        );
        if verdict(cx, &found) != Some(false) {
            continue;
        }
        let why = if found.is_empty() {
            "has no bucket policy"
        } else {
            "has no policy statement"
        };
        out.push(cx.missing(&RULE, b, "policy").message(format!(
            "bucket `{}` {why} denying requests where `aws:SecureTransport` is `false`, so it accepts plain HTTP",
            b.addr
        )));
    }
    for b in cx.of(&["AWS::S3::Bucket"]) {
        let found = policies(
            cx,
            b,
            None,
            "AWS::S3::BucketPolicy",
            "Bucket",
            "PolicyDocument",
        );
        if verdict(cx, &found) != Some(false) {
            continue;
        }
        let why = if found.is_empty() {
            "has no `AWS::S3::BucketPolicy`"
        } else {
            "has no policy statement"
        };
        out.push(cx.missing(&RULE, b, "BucketPolicy").message(format!(
            "bucket `{}` {why} denying requests where `aws:SecureTransport` is `false`, so it accepts plain HTTP",
            b.addr
        )));
    }
}

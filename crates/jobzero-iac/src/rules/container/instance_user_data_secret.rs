use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use super::ecs::nodes_at;
use super::secrets::assigns_literal;
use jobzero_secrets::literal::mentions_aws_access_key_id;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// Instance user data that contains a credential: an AWS access key id (`AKIA…`,
    /// `ASIA…`), a private key (`-----BEGIN … PRIVATE KEY-----`), or a literal assigned to
    /// `aws_secret_access_key`, `password`, `passwd`, `secret_key`, `api_key` or `token`
    /// (`DB_PASSWORD=…`, `password: …`). Terraform `user_data` and `user_data_base64` of
    /// `aws_instance`, `aws_launch_template` and `aws_launch_configuration` (a literal
    /// base64 value is decoded); CloudFormation `UserData` of `AWS::EC2::Instance`,
    /// `AWS::AutoScaling::LaunchConfiguration` and `AWS::EC2::LaunchTemplate`
    /// `LaunchTemplateData`. Values read at boot (`$(aws secretsmanager …)`, `$TOKEN`) are
    /// not reported, nor is user data that depends on unknown values.
    ///
    /// ## Why it matters
    /// User data is not secret: anyone allowed `ec2:DescribeInstanceAttribute` reads it, and
    /// so does every process on the instance through the metadata service
    /// (`/latest/user-data`), including a server-side request forgery in the application.
    /// The credential is also in the repository and the state.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "worker" {
    ///   user_data = <<-EOT
    ///     #!/bin/bash
    ///     export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
    ///     export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    ///   EOT
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Give the instance an IAM role (instance profile) instead of keys, and have the boot
    /// script fetch other secrets from Secrets Manager or SSM Parameter Store:
    /// `DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id orders-db --query SecretString --output text)`.
    ///
    /// ## References
    /// - CWE-798
    /// - [Amazon EC2: instance user data](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html)
    /// - Checkov CKV_AWS_46
    pub static RULE = {
        id: "iac/instance-user-data-secret",
        code: "IAC157",
        title: "credential hard-coded in instance user data",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::Medium,
        expectation: &expectation::SECRET_HARDCODED,
    }
}

/// Resource types and the paths of their user data.
const USER_DATA: &[(&str, &str)] = &[
    ("aws_instance", "user_data"),
    ("aws_instance", "user_data_base64"),
    ("aws_launch_template", "user_data"),
    ("aws_launch_configuration", "user_data"),
    ("aws_launch_configuration", "user_data_base64"),
    ("AWS::EC2::Instance", "UserData"),
    ("AWS::AutoScaling::LaunchConfiguration", "UserData"),
    ("AWS::EC2::LaunchTemplate", "LaunchTemplateData.UserData"),
];

/// Decodes standard base64 (with or without padding); `None` when `s` is not base64 of
/// UTF-8 text.
fn decode_base64(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() < 8 || s.contains(char::is_whitespace) {
        return None;
    }
    let mut bits: u32 = 0;
    let mut count: u32 = 0;
    let mut bytes = Vec::with_capacity(s.len() / 4 * 3);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push(((bits >> count) & 0xff) as u8);
        }
    }
    String::from_utf8(bytes).ok()
}

/// What credential `text` holds, if any.
fn credential_in(text: &str) -> Option<&'static str> {
    if mentions_aws_access_key_id(text) {
        return Some("an AWS access key id");
    }
    if text.contains("PRIVATE KEY-----") {
        return Some("a private key");
    }
    if assigns_literal(text, "aws_secret_access_key") {
        return Some("an AWS secret access key");
    }
    if assigns_literal(text, "password") || assigns_literal(text, "passwd") {
        return Some("a password");
    }
    if ["secret_key", "api_key", "apikey", "token"]
        .iter()
        .any(|k| assigns_literal(text, k))
    {
        return Some("a secret key or token");
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, path) in USER_DATA {
        for r in cx.of(&[*rtype]) {
            for node in nodes_at(&r.body, path) {
                let Some(text) = node.as_str() else { continue };
                let found = credential_in(text)
                    .or_else(|| decode_base64(text).and_then(|t| credential_in(&t)));
                let Some(what) = found else { continue };
                out.push(cx.at(&RULE, r, node).message(format!(
                    "the user data of `{}` contains {what}, readable by anyone who can describe the instance or reach its metadata service",
                    r.addr
                )));
            }
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::{Setting, setting};

declare_rule! {
    /// ## What it finds
    /// An account password policy (`aws_iam_account_password_policy`) weaker than the CIS
    /// AWS Foundations Benchmark: `minimum_password_length` below 14 or absent (the default
    /// is 6); each of `require_lowercase_characters`, `require_uppercase_characters`,
    /// `require_numbers` and `require_symbols` not true (reported at low severity); and
    /// `password_reuse_prevention` below 24 or absent (low severity). Password expiry is not
    /// checked: current NIST guidance (SP 800-63B) advises against forced rotation.
    ///
    /// ## Why it matters
    /// IAM user passwords protect console access to the account; short or simple passwords
    /// fall to guessing and credential stuffing.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_account_password_policy" "strict" {
    ///   minimum_password_length = 8
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Require at least 14 characters, every character class, and no reuse of the last 24
    /// passwords, or better, move people to federated sign-in and remove IAM passwords.
    ///
    /// ## References
    /// - CWE-521
    /// - [AWS: set an account password policy for IAM users](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html)
    /// - Checkov CKV_AWS_10, CKV_AWS_11, CKV_AWS_12, CKV_AWS_13, CKV_AWS_14, CKV_AWS_15
    pub static RULE = {
        id: "iac/iam-password-policy-weak",
        code: "IAC104",
        title: "account password policy is weak",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::CRED_LONGTERM,
    }
}

/// The character classes a password must contain, with their settings.
const CLASSES: &[(&str, &str)] = &[
    ("require_lowercase_characters", "lowercase letters"),
    ("require_uppercase_characters", "uppercase letters"),
    ("require_numbers", "numbers"),
    ("require_symbols", "symbols"),
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_iam_account_password_policy"]) {
        match r.body.get_direct("minimum_password_length") {
            None => out.push(cx.missing(&RULE, r, "minimum_password_length").message(format!(
                "password policy `{}` sets no `minimum_password_length`, so passwords may have 6 characters",
                r.addr
            ))),
            Some(n) => {
                if let Some(len) = n.as_num()
                    && len < 14.0
                {
                    out.push(cx.at(&RULE, r, n).message(format!(
                        "password policy `{}` accepts passwords of {len} characters (`minimum_password_length = {len}`, below 14)",
                        r.addr
                    )));
                }
            }
        }
        for &(key, what) in CLASSES {
            let b = match setting(r, key) {
                Setting::Off(n) => cx.at(&RULE, r, n),
                Setting::Absent => cx.missing(&RULE, r, key),
                Setting::On | Setting::Unknown => continue,
            };
            out.push(b.severity(Severity::Low).message(format!(
                "password policy `{}` does not require {what} (`{key}` is not true)",
                r.addr
            )));
        }
        match r.body.get_direct("password_reuse_prevention") {
            None => out.push(
                cx.missing(&RULE, r, "password_reuse_prevention")
                    .severity(Severity::Low)
                    .message(format!(
                        "password policy `{}` lets users reuse old passwords (no `password_reuse_prevention`)",
                        r.addr
                    )),
            ),
            Some(n) => {
                if let Some(count) = n.as_num()
                    && count < 24.0
                {
                    out.push(cx.at(&RULE, r, n).severity(Severity::Low).message(format!(
                        "password policy `{}` remembers only {count} old passwords (`password_reuse_prevention = {count}`, below 24)",
                        r.addr
                    )));
                }
            }
        }
    }
}

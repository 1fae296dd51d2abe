use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::util::report_explicit_off;

declare_rule! {
    /// ## What it finds
    /// An `aws_ebs_encryption_by_default` resource with `enabled = false`, which turns off
    /// the account-wide (per region) encryption of new EBS volumes and snapshot copies.
    ///
    /// ## Why it matters
    /// Encryption by default is the one setting that protects every volume, including those
    /// created by people, scripts and services that forget `encrypted = true`. Switching it
    /// off means each volume's encryption depends on its own definition.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ebs_encryption_by_default" "this" {
    ///   enabled = false
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `enabled = true` (its default) and, with `aws_ebs_default_kms_key`, choose a
    /// customer-managed key.
    ///
    /// ## References
    /// - CWE-311
    /// - [AWS: enable Amazon EBS encryption by default](https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html)
    /// - Checkov CKV_AWS_106
    pub static RULE = {
        id: "iac/ebs-default-encryption-disabled",
        code: "IAC018",
        title: "account-wide EBS encryption by default turned off",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_ebs_encryption_by_default"]) {
        if let Some(f) = report_explicit_off(
            cx,
            &RULE,
            r,
            "enabled",
            "new EBS volumes in this account and region are not encrypted unless each asks for it",
        ) {
            out.push(f);
        }
    }
}

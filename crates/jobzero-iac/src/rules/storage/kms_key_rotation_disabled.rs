use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::model::Resource;

use super::util::{Found, find, report_off, unset};

declare_rule! {
    /// ## What it finds
    /// A customer-managed symmetric KMS key without automatic rotation: `enable_key_rotation`
    /// set to `false` or left out (default `false`) on `aws_kms_key`, `EnableKeyRotation` on
    /// a CloudFormation `AWS::KMS::Key`. Keys that cannot rotate automatically are not
    /// reported: asymmetric and HMAC keys (`customer_master_key_spec`/`KeySpec` other than
    /// `SYMMETRIC_DEFAULT`), keys in a custom key store and keys with imported material
    /// (`Origin: EXTERNAL`).
    ///
    /// ## Why it matters
    /// A key that never rotates protects ever more data with the same material: any exposure
    /// of it, however unlikely, reaches everything ever encrypted, and many compliance
    /// frameworks require yearly rotation. Rotation is transparent to applications.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description = "customer data"
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Set `enable_key_rotation = true` (optionally `rotation_period_in_days`).
    ///
    /// ## References
    /// - CWE-320
    /// - [AWS: rotate AWS KMS keys](https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html)
    /// - Checkov CKV_AWS_7
    pub static RULE = {
        id: "iac/kms-key-rotation-disabled",
        code: "IAC053",
        title: "encryption key without automatic rotation",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::ENC_REST,
    }
}

/// Whether `r` is a key that AWS can rotate: symmetric, with AWS-generated material, outside
/// custom key stores (an unknown spec counts as not rotatable).
fn rotatable(r: &Resource) -> bool {
    let (spec, store, origin) = if r.rtype == "aws_kms_key" {
        ("customer_master_key_spec", "custom_key_store_id", None)
    } else {
        ("KeySpec", "CustomKeyStoreId", Some("Origin"))
    };
    let symmetric = match find(&r.body, spec) {
        Found::Absent => true,
        Found::Value(n) => n
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("SYMMETRIC_DEFAULT")),
        Found::Unknown => false,
    };
    let aws_material = match origin.map(|o| find(&r.body, o)) {
        None | Some(Found::Absent) => true,
        Some(Found::Value(n)) => n
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("AWS_KMS")),
        Some(Found::Unknown) => false,
    };
    symmetric && aws_material && unset(&r.body, store)
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_kms_key", "AWS::KMS::Key"]) {
        if !rotatable(r) {
            continue;
        }
        let key = if r.rtype == "aws_kms_key" {
            "enable_key_rotation"
        } else {
            "EnableKeyRotation"
        };
        if let Some(f) = report_off(cx, &RULE, r, key, "its key material is never rotated") {
            out.push(f);
        }
    }
}

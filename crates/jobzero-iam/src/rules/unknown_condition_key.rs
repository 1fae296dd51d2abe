use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::catalogue::CATALOGUE;
use crate::scanner::{Cx, Out};

declare_rule! {
    /// ## What it finds
    /// A service condition key that its service does not define (`s3:SecureTransport` for
    /// `aws:SecureTransport`, `ec2:Region` for `aws:RequestedRegion`). Global `aws:` keys and
    /// keys with a tag or other suffix (`s3:ExistingObjectTag/<key>`) are matched by prefix.
    ///
    /// ## Why it matters
    /// A condition on a key that never exists in the request is never true (or, negated or with
    /// `IfExists`, always true): an `Allow` grants nothing, or a `Deny` protects nothing.
    ///
    /// ## Example
    /// ```json
    /// "Condition": {"Bool": {"s3:SecureTransport": "false"}}
    /// ```
    ///
    /// ## Remediation
    /// Use the key the service documents; global keys start with `aws:`.
    ///
    /// ## References
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - IAM Access Analyzer policy check: INVALID_CONTEXT_KEY
    pub static RULE = {
        id: "iam/unknown-condition-key",
        code: "IAM005",
        title: "condition key that its service does not define",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::Medium,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Whether `key` (`svc:name` or `svc:name/suffix`) is one of `service`'s keys.
fn known(service: &crate::catalogue::Service, key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    if service.condition_keys.contains_key(&lower) {
        return true;
    }
    // `s3:ExistingObjectTag/<key>`, `aws:ResourceTag/${TagKey}`: compare up to the slash.
    let base = lower.split('/').next().unwrap_or(&lower);
    service
        .condition_keys
        .keys()
        .any(|k| k.split('/').next() == Some(base) && k.contains('/'))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Out) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            let key = c.key.value.as_str();
            let Some((prefix, _)) = key.split_once(':') else {
                continue;
            };
            if prefix.eq_ignore_ascii_case("aws") {
                continue;
            }
            // Keys of identity providers (`accounts.google.com:aud`, `token.actions...:sub`)
            // are not in the service reference.
            if prefix.contains('.') {
                continue;
            }
            let Some(service) = CATALOGUE.service(prefix) else {
                continue;
            };
            // Some services declare keys of another prefix (sts declares `saml:*`).
            let elsewhere = CATALOGUE.services.values().any(|svc| known(svc, key));
            if !known(service, key) && !elsewhere {
                out.push(cx.at_value(&RULE, &c.key, key).message(format!(
                    "`{key}` is not a condition key of `{prefix}`, so this condition never sees a value"
                )));
            }
        }
    }
}

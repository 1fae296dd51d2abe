use crate::document::is_unknown;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::catalogue::CATALOGUE;
use crate::audit::Cx;
use jobzero_core::check::Sink;

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
    // `kms:EncryptionContext:${EncryptionContextKey}`: the name after the template's fixed
    // part may hold colons (`kms:EncryptionContext:aws:logs:arn`).
    service.condition_keys.keys().any(|k| {
        (k.split('/').next() == Some(base) && k.contains('/'))
            || k.split_once("${")
                .is_some_and(|(fixed, _)| lower.len() > fixed.len() && lower.starts_with(fixed))
    })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            let key = c.key.value.as_str();
            if is_unknown(key) {
                continue;
            }
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
                continue;
            }
            // A real key of another service than the statement's actions: never in their
            // requests (`iam:PermissionsBoundary` on `s3:GetObject`).
            if let Some(actions) = &s.action {
                let services: Vec<&str> = actions
                    .iter()
                    .filter_map(|a| a.value.split_once(':').map(|(svc, _)| svc))
                    .collect();
                if services.is_empty() || services.iter().any(|svc| svc.contains(['*', '?'])) {
                    continue;
                }
                // Only a key of another service than all of the actions': the catalogue's
                // per-action key lists are incomplete within a service, and some keys describe
                // the credentials' source in every service's requests.
                let name = key.split_once(':').map_or("", |(_, n)| n).to_ascii_lowercase();
                let source_key = name.starts_with("source")
                    || matches!(prefix.to_ascii_lowercase().as_str(), "sts" | "glue")
                    || name.starts_with("role");
                if services.iter().any(|svc| svc.eq_ignore_ascii_case(prefix)) || source_key {
                    continue;
                }
                let supported = actions.iter().any(|a| {
                    CATALOGUE.expand(&a.value).iter().any(|full| {
                        CATALOGUE.action(full).is_some_and(|(_, act)| {
                            act.conditions.iter().any(|k| {
                                k.eq_ignore_ascii_case(key)
                                    || (k.contains('/')
                                        && k.split('/').next().is_some_and(|b| {
                                            key.split('/').next().is_some_and(|kb| kb.eq_ignore_ascii_case(b))
                                        }))
                            })
                        })
                    })
                });
                if !supported {
                    out.push(cx.at_value(&RULE, &c.key, key).message(format!(
                        "`{key}` is not a condition key of the statement's actions ({}), so this condition never sees a value",
                        actions.iter().map(|a| format!("`{}`", a.value)).collect::<Vec<_>>().join(", ")
                    )));
                }
            }
        }
    }
}

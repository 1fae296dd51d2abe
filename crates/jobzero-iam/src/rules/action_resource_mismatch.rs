use crate::document::is_unknown;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::catalogue::CATALOGUE;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An action (without wildcards) listed with resources none of which can be of a resource
    /// type the action acts on: `s3:GetObject` on `arn:aws:s3:::bucket` (a bucket, not an
    /// object), `s3:ListBucket` on `arn:aws:s3:::bucket/*`.
    ///
    /// ## Why it matters
    /// The action is never allowed (or never denied) where the author meant it: the classic
    /// cause of "AccessDenied" fixed by widening the policy to `*`, or of a `Deny` that
    /// protects nothing.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports"}
    /// ```
    ///
    /// ## Remediation
    /// Give each action resources of its own type (`arn:aws:s3:::reports/*` for objects), or
    /// split the statement.
    ///
    /// ## References
    /// - [Service Authorization Reference: resource types](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - IAM Access Analyzer policy check: MISSING_ARN_TYPE / RESOURCE_TYPE_MISMATCH
    pub static RULE = {
        id: "iam/action-resource-mismatch",
        code: "IAM014",
        title: "action listed with resources it cannot act on",
        family: Family::Iam,
        severity: Severity::Low,
        confidence: Confidence::Medium,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// An ARN format of the reference (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) as a
/// pattern, every `${...}` a wildcard.
fn format_pattern(arn: &str) -> String {
    let mut out = String::new();
    let mut rest = arn;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        out.push('*');
        rest = rest[at..].find('}').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out
}

/// Whether some ARN matches both patterns.
fn overlap(a: &str, b: &str) -> bool {
    crate::glob::intersect(a, b)
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for s in &cx.policy.statements {
        let Some(resources) = &s.resource else { continue };
        if resources.is_empty()
            || resources
            .iter()
            .any(|r| r.value == "*" || r.value.contains("${") || is_unknown(&r.value))
        {
            continue;
        }
        for a in s.action.iter().flatten() {
            let Some((service, action)) = CATALOGUE.action(&a.value) else {
                continue;
            };
            if action.resources.is_empty() {
                continue;
            }
            let formats: Vec<String> = action
                .resources
                .iter()
                .filter_map(|(ty, _)| {
                    service
                        .resource_types
                        .iter()
                        .find(|(name, _)| name == ty)
                        .map(|(_, arn)| format_pattern(arn))
                })
                .collect();
            if formats.is_empty() {
                continue;
            }
            let fits = resources
                .iter()
                .any(|r| formats.iter().any(|f| overlap(&r.value, f)));
            if !fits {
                let types: Vec<&str> = action.resources.iter().map(|(t, _)| *t).collect();
                out.push(cx.at_value(&RULE, a, &a.value).message(format!(
                    "`{}` acts on {} resources, and none of this statement's resources can be one",
                    a.value,
                    types.join(" or ")
                )));
            }
        }
    }
}

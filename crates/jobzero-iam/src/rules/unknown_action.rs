use crate::document::is_unknown;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::catalogue::CATALOGUE;
use crate::rules::util::action_values;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An action without wildcards that no AWS service defines (`s3:GetObjects`,
    /// `iam:PasRole`), or a service prefix that does not exist, with the closest real action.
    ///
    /// ## Why it matters
    /// IAM accepts the policy but the action grants nothing: the permission the author meant
    /// to grant (or, in a `Deny`, to refuse) is not there. A misspelt `Deny` is a hole.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Deny", "Action": "s3:DeleteObjects", "Resource": "*"}
    /// ```
    ///
    /// ## Remediation
    /// Use the action's exact name from the Service Authorization Reference; the finding
    /// suggests the closest one.
    ///
    /// ## References
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference.html)
    /// - IAM Access Analyzer policy check: UNKNOWN_ACTION, UNKNOWN_SERVICE
    pub static RULE = {
        id: "iam/unknown-action",
        code: "IAM002",
        title: "action that no AWS service defines",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for s in &cx.policy.statements {
        for a in action_values(s) {
            let v = a.value.as_str();
            if v == "*" || v.contains(['*', '?']) || !v.contains(':') || is_unknown(v) {
                continue;
            }
            if CATALOGUE.action(v).is_some() {
                continue;
            }
            let service = v.split(':').next().unwrap_or("");
            let known_service = CATALOGUE.service(service).is_some();
            let hint = CATALOGUE
                .suggest(v)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            let what = if known_service {
                format!("`{v}` is not an action of `{service}`{hint}")
            } else {
                format!("`{service}` is not an AWS service prefix (in `{v}`){hint}")
            };
            // A near miss is a typo; anything else may be newer than the catalogue.
            let b = cx.at_value(&RULE, a, v);
            let b = if hint.is_empty() {
                b.confidence(jobzero_core::Confidence::Low)
                    .severity(Severity::Low)
                    .message(format!(
                        "{what} in jobzero's action catalogue (if AWS added it recently, regenerate the catalogue with scripts/iam_catalogue.py)"
                    ))
            } else {
                b.message(what)
            };
            out.push(b);
        }
    }
}

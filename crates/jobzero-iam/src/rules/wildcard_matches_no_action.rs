use crate::document::is_unknown;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::catalogue::CATALOGUE;
use crate::rules::util::action_values;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An action pattern with wildcards that matches no action of any service
    /// (`s3:Gett*`, `ec2:Describe*Foo`).
    ///
    /// ## Why it matters
    /// The pattern grants (or denies) nothing, so the statement does not do what its author
    /// believes; in a `Deny`, the protection is missing.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "dynamodb:Quer*y", "Resource": "*"}
    /// ```
    ///
    /// ## Remediation
    /// Correct the pattern so that it matches the intended actions; check them with
    /// `jobzero iam simulate`.
    ///
    /// ## References
    /// - IAM Access Analyzer policy check: UNKNOWN_ACTION (wildcard)
    pub static RULE = {
        id: "iam/wildcard-matches-no-action",
        code: "IAM003",
        title: "action pattern that matches no action",
        family: Family::Iam,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for s in &cx.policy.statements {
        for a in action_values(s) {
            let v = a.value.as_str();
            if v == "*" || !v.contains(['*', '?']) || !v.contains(':') || is_unknown(v) {
                continue;
            }
            if CATALOGUE.expand(v).is_empty() {
                out.push(cx.at_value(&RULE, a, v).message(format!("`{v}` matches no action of any AWS service")));
            }
        }
    }
}

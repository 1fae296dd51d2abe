use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::Effect;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An `Allow` statement with `NotAction`, `NotResource` or `NotPrincipal`.
    ///
    /// ## Why it matters
    /// "Everything except" grants every action, resource or principal that exists now and
    /// every one AWS adds later. `NotPrincipal` with `Allow` is refused outright by most
    /// services; `NotAction` with `Allow` is how administrator access hides in a short policy.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    /// ```
    ///
    /// ## Remediation
    /// List what is allowed with `Action`/`Resource`/`Principal`; keep the `Not` elements for
    /// `Deny` statements, where they narrow a refusal.
    ///
    /// ## References
    /// - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    /// - IAM Access Analyzer policy check: ALLOW_WITH_NOT_ACTION, ALLOW_WITH_NOT_RESOURCE, ALLOW_WITH_NOT_PRINCIPAL
    pub static RULE = {
        id: "iam/allow-with-not-element",
        code: "IAM006",
        title: "allow statement with NotAction, NotResource or NotPrincipal",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow {
            continue;
        }
        let mut elements = Vec::new();
        if s.not_action.is_some() {
            elements.push("NotAction");
        }
        if s.not_resource.is_some() {
            elements.push("NotResource");
        }
        if s.not_principal.is_some() {
            elements.push("NotPrincipal");
        }
        if !elements.is_empty() {
            out.push(cx.at_statement(&RULE, s, &elements.join(",")).message(format!(
                "an `Allow` with `{}` grants everything it does not list, including what AWS adds later",
                elements.join("` and `")
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A policy that IAM would refuse: an unknown element (`Statment`, `Conditions`), a
    /// missing or misspelt `Effect`, both `Action` and `NotAction`, neither, a `Version` other
    /// than `2012-10-17`, an action without a service prefix, values of the wrong type.
    ///
    /// ## Why it matters
    /// IAM rejects the whole document, so the deployment fails; or, with the old `Version`,
    /// accepts it but treats policy variables as literal text, which silently changes what
    /// the policy allows.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## Remediation
    /// Fix the element the finding names; its hint says how (element names and `Effect`
    /// values are case-sensitive).
    ///
    /// ## References
    /// - [IAM JSON policy element reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
    /// - IAM Access Analyzer policy check: ERROR findings
    pub static RULE = {
        id: "iam/policy-grammar-error",
        code: "IAM001",
        title: "policy document that IAM would refuse",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for p in &cx.policy.problems {
        out.push(
            cx.at(&RULE, p.line, p.column, &p.message)
                .message(format!("{}; {}", p.message, p.hint)),
        );
    }
}

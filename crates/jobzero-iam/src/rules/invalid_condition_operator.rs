use crate::document::is_unknown;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::eval::Operator;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A condition operator IAM does not know (`StringEqual`, `StringEqualsIgnorecase`,
    /// `NullIfExists`, `ForAnyValues:StringLike`).
    ///
    /// ## Why it matters
    /// IAM refuses the policy; a tool that tolerates it would evaluate something AWS never
    /// will.
    ///
    /// ## Example
    /// ```json
    /// "Condition": {"StringEqual": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    /// ```
    ///
    /// ## Remediation
    /// Use an operator of the IAM reference (`StringEquals`, `ArnLike`, `IpAddress`, ...), with
    /// an optional `ForAllValues:`/`ForAnyValue:` prefix and `IfExists` suffix.
    ///
    /// ## References
    /// - [IAM condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    pub static RULE = {
        id: "iam/invalid-condition-operator",
        code: "IAM004",
        title: "condition operator that IAM does not know",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    let mut seen = std::collections::BTreeSet::new();
    for s in &cx.policy.statements {
        for c in &s.conditions {
            let op = &c.operator;
            if Operator::parse(&op.value).is_none()
                && !is_unknown(&op.value)
                && seen.insert((op.line, op.column))
            {
                out.push(cx.at_value(&RULE, op, &op.value).message(format!(
                    "`{}` is not an IAM condition operator",
                    op.value
                )));
            }
        }
    }
}

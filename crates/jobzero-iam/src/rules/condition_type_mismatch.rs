use crate::document::is_unknown;
use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::catalogue::CATALOGUE;
use crate::eval::{Base, Operator};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A condition whose operator does not fit the key's type: a string operator on a
    /// boolean key (`StringEquals` on `aws:SecureTransport`), a date or number operator on a
    /// string, an address operator on anything but `aws:SourceIp`, a string operator on an
    /// address, or a value the operator cannot read (`NumericLessThan` with `"ten"`,
    /// `DateGreaterThan` with `"yesterday"`, `IpAddress` with `"10.0.0/8"`). Key types come
    /// from the global keys IAM documents and from the Service Authorization Reference.
    ///
    /// ## Why it matters
    /// IAM compares what it can: a boolean compared as a string still works by accident for
    /// `"true"`, but a date compared as a string, or a number that does not parse, makes the
    /// condition false (or, negated, true) for every request — the statement never or always
    /// applies.
    ///
    /// ## Example
    /// ```json
    /// "Condition": {"StringEquals": {"aws:MultiFactorAuthPresent": "true"}}
    /// ```
    ///
    /// ## Remediation
    /// Use the operator family of the key's type (`Bool` for booleans, `Date*` for dates,
    /// `Numeric*` for numbers, `IpAddress` for `aws:SourceIp`, `Arn*` for ARNs) with values it
    /// can read.
    ///
    /// ## References
    /// - [IAM condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    /// - IAM Access Analyzer policy check: MISMATCHED_TYPE, INVALID_VALUE
    pub static RULE = {
        id: "iam/condition-type-mismatch",
        code: "IAM015",
        title: "condition operator does not fit its key's type or value",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Types of global keys (lower case) that are not strings.
const GLOBAL: &[(&str, &str)] = &[
    ("aws:securetransport", "Bool"),
    ("aws:multifactorauthpresent", "Bool"),
    ("aws:viaawsservice", "Bool"),
    ("aws:principalisawsservice", "Bool"),
    ("aws:multifactorauthage", "Numeric"),
    ("aws:currenttime", "Date"),
    ("aws:tokenissuetime", "Date"),
    ("aws:epochtime", "Date"),
    ("aws:sourceip", "IPAddress"),
    ("aws:vpcsourceip", "IPAddress"),
];

/// The type of a condition key, when known.
fn key_type(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    if let Some((_, t)) = GLOBAL.iter().find(|(k, _)| *k == lower) {
        return Some(t);
    }
    let (prefix, _) = lower.split_once(':')?;
    CATALOGUE
        .service(prefix)?
        .condition_keys
        .get(&lower)
        .map(|(_, t)| *t)
}

/// What is wrong with `op` on a key of type `ty`, if anything.
fn mismatch(op: &Operator, ty: &str) -> Option<String> {
    let base_ty = ty.trim_start_matches("ArrayOf");
    let fits = match op.base {
        Base::String { .. } => matches!(base_ty, "String" | "ARN" | "Bool" | "Numeric"),
        Base::Arn { .. } => matches!(base_ty, "ARN" | "String"),
        Base::Numeric { .. } => base_ty == "Numeric",
        Base::Date { .. } => matches!(base_ty, "Date" | "Numeric"),
        Base::Bool => base_ty == "Bool",
        Base::Ip { .. } => base_ty == "IPAddress",
        Base::Binary | Base::Null => true,
    };
    // A string operator on a boolean or number works only by textual accident: report it,
    // but the operator families below are outright wrong.
    let accidental = matches!(op.base, Base::String { .. }) && matches!(base_ty, "Bool" | "Numeric");
    (!fits || accidental).then(|| format!("a {ty} key"))
}

/// Whether `value` can be read by the operator.
fn readable(op: &Operator, value: &str) -> bool {
    match op.base {
        Base::Numeric { .. } => value.trim().parse::<f64>().is_ok(),
        Base::Date { .. } => crate::eval::date(value).is_some(),
        Base::Bool => value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false"),
        Base::Ip { .. } => {
            value.trim().parse::<ipnet::IpNet>().is_ok() || value.trim().parse::<std::net::IpAddr>().is_ok()
        }
        _ => true,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for s in &cx.policy.statements {
        for c in &s.conditions {
            if is_unknown(&c.key.value) {
                continue;
            }
            let Some(op) = Operator::parse(&c.operator.value) else {
                continue;
            };
            // Only address keys hold addresses, whatever else is known of the key.
            let ty = key_type(&c.key.value).or(matches!(op.base, Base::Ip { .. }).then_some("String"));
            if let Some(ty) = ty
                && let Some(what) = mismatch(&op, ty)
            {
                out.push(cx.at_value(&RULE, &c.key, &format!("{} {}", c.operator.value, c.key.value)).message(format!(
                    "`{}` compares `{}`, {what}, with the wrong operator family",
                    c.operator.value, c.key.value
                )));
                continue;
            }
            if let Some(bad) = c.values.iter().find(|v| !is_unknown(v) && !readable(&op, v)) {
                out.push(cx.at_value(&RULE, &c.key, &format!("{} {} value", c.operator.value, c.key.value)).message(format!(
                    "`{}` cannot read the value `{bad}` of `{}`, so the condition never matches",
                    c.operator.value, c.key.value
                )));
            }
        }
    }
}

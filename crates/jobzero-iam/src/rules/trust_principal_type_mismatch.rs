use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::{Effect, Principals};
use crate::glob::matches;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A trust statement whose principal type cannot make the call it allows:
    /// `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity` for an `AWS` or `Service`
    /// principal (they need a `Federated` identity provider), or `sts:AssumeRole` for only a
    /// `Federated` provider.
    ///
    /// ## Why it matters
    /// Nobody can use the statement, so the federation the team set up does not work, and the
    /// usual "fix" under pressure is a broader trust policy than needed.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRoleWithSAML"}
    /// ```
    ///
    /// ## Remediation
    /// Trust the identity provider with `"Principal": {"Federated": "arn:aws:iam::<account>:saml-provider/<name>"}`
    /// (or the OIDC provider) for the federated calls, and AWS principals for `sts:AssumeRole`.
    ///
    /// ## References
    /// - [Creating a role for SAML 2.0 federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html)
    /// - IAM Access Analyzer policy check: trust policy principal type
    pub static RULE = {
        id: "iam/trust-principal-type-mismatch",
        code: "IAM016",
        title: "trust statement's principal type cannot make the call it allows",
        family: Family::Iam,
        severity: Severity::Low,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow {
            continue;
        }
        let Some(Principals::Typed(list)) = &s.principal else {
            continue;
        };
        let types: Vec<&str> = list.iter().map(|(t, _)| t.as_str()).collect();
        for a in s.action.iter().flatten() {
            let v = a.value.as_str();
            let federated_call = !v.contains('*')
                && (matches(v, "sts:AssumeRoleWithSAML") || matches(v, "sts:AssumeRoleWithWebIdentity"));
            if federated_call && !types.contains(&"Federated") {
                out.push(cx.at_value(&RULE, a, v).message(format!(
                    "`{v}` needs a `Federated` identity provider as principal, not {}",
                    types.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" and ")
                )));
            }
            if matches(v, "sts:AssumeRole") && !v.contains('*') && types == ["Federated"] {
                out.push(cx.at_value(&RULE, a, v).message(format!(
                    "`{v}` cannot be called by a `Federated` provider; use `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity`"
                )));
            }
        }
    }
}

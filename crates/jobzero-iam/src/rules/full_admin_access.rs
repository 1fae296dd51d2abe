use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};


use crate::rules::util::is_full_admin;
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An `Allow` of every action (`*` or `*:*`) on every resource (`*`), without conditions.
    ///
    /// ## Why it matters
    /// Whoever holds it is an administrator of the account: they can read every secret,
    /// delete every backup and grant themselves anything that is left.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "*", "Resource": "*"}
    /// ```
    ///
    /// ## Remediation
    /// Grant the services and actions the identity uses (IAM Access Analyzer can generate a
    /// policy from CloudTrail activity); keep administrator access to a break-glass role with
    /// MFA.
    ///
    /// ## References
    /// - CWE-269
    /// - [IAM best practices: least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    pub static RULE = {
        id: "iam/full-admin-access",
        code: "IAM007",
        title: "policy allows every action on every resource",
        family: Family::Iam,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if !cx.kind.grants() {
        return;
    }
    for s in &cx.policy.statements {
        if is_full_admin(s) {
            out.push(cx.at_statement(&RULE, s, "*:*").message(
                "this statement allows every action on every resource: administrator access".to_owned(),
            ));
        }
    }
}

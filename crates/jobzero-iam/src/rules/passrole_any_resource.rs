use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::Effect;
use crate::glob::matches;
use crate::rules::util::{any_resource, has_condition, is_full_admin};
use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An `Allow` of `iam:PassRole` (directly or through `iam:*`, `iam:Pass*`, `*`) on every
    /// resource, without an `iam:PassedToService` condition.
    ///
    /// ## Why it matters
    /// Passing a role hands its permissions to a service the caller controls: with
    /// `ec2:RunInstances` or `lambda:CreateFunction`, any role of the account — an
    /// administrator's included — becomes the caller's.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"}
    /// ```
    ///
    /// ## Remediation
    /// Name the roles that may be passed (`arn:aws:iam::111122223333:role/app-*`) and the
    /// service they go to (`iam:PassedToService`).
    ///
    /// ## References
    /// - CWE-269
    /// - [Granting a user permissions to pass a role](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    /// - IAM Access Analyzer policy check: PASS_ROLE_WITH_STAR_IN_RESOURCE
    pub static RULE = {
        id: "iam/passrole-any-resource",
        code: "IAM008",
        title: "iam:PassRole allowed on every role",
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
        let grants = s
            .action
            .as_ref()
            .and_then(|a| a.iter().find(|x| matches(&x.value, "iam:PassRole")));
        let Some(a) = grants else { continue };
        if is_full_admin(s) {
            continue;
        }
        if s.effect == Effect::Allow && any_resource(s) && !has_condition(s, &["iam:passedtoservice"]) {
            out.push(cx.at_value(&RULE, a, "iam:PassRole *").message(format!(
                "`{}` allows passing any role of the account to any service",
                a.value
            )));
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::{Effect, Principals, Statement};
use crate::audit::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A service control policy (SCP) or resource control policy (RCP) of AWS Organizations
    /// that uses what that policy type does not support, so AWS Organizations refuses it:
    ///
    /// - an SCP with `Principal` or `NotPrincipal` (an SCP applies to every principal of the
    ///   accounts it is attached to; limit principals with a condition on `aws:PrincipalArn`);
    /// - an RCP whose `Principal` is anything but `"*"`, or with `NotPrincipal` or `NotAction`;
    /// - an RCP `Allow` other than the built-in `RCPFullAWSAccess` (RCPs only deny).
    ///
    /// Organisation policies are recognised in Terraform (`aws_organizations_policy`, by its
    /// `type`), CloudFormation (`AWS::Organizations::Policy`) and the JSON output of
    /// `aws organizations describe-policy` (by `PolicySummary.Type`).
    ///
    /// ## Why it matters
    /// The guardrail the policy was written to be is not in place: the apply fails, or a
    /// pipeline that ignores the error leaves the organisation without it.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}
    /// ```
    ///
    /// ## Remediation
    /// Remove `Principal` from SCP statements; write RCP statements as `Deny` with
    /// `"Principal": "*"` and narrow them with conditions (`aws:PrincipalOrgID`,
    /// `aws:SourceAccount`).
    ///
    /// ## References
    /// - [SCP syntax](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html)
    /// - [RCP syntax](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html)
    pub static RULE = {
        id: "iam/control-policy-grammar",
        code: "IAM018",
        title: "service or resource control policy uses an element its type does not support",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// `{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}`: RCPFullAWSAccess.
fn full_access(s: &Statement) -> bool {
    let star = |l: &Option<Vec<crate::document::At<String>>>| {
        l.as_ref()
            .is_some_and(|v| !v.is_empty() && v.iter().all(|x| x.value == "*"))
    };
    s.effect == Effect::Allow
        && matches!(s.principal, Some(Principals::Anyone))
        && star(&s.action)
        && star(&s.resource)
        && s.conditions.is_empty()
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for s in &cx.policy.statements {
        let problem = match cx.kind {
            PolicyKind::ServiceControl if s.principal.is_some() || s.not_principal.is_some() => {
                "an SCP applies to every principal of its accounts and does not support `Principal` or `NotPrincipal`"
            }
            PolicyKind::ResourceControl if s.not_principal.is_some() => {
                "an RCP does not support `NotPrincipal`"
            }
            PolicyKind::ResourceControl if s.not_action.is_some() => {
                "an RCP does not support `NotAction`"
            }
            PolicyKind::ResourceControl
                if !matches!(s.principal, Some(Principals::Anyone)) =>
            {
                "an RCP statement's `Principal` must be \"*\" (narrow it with conditions)"
            }
            PolicyKind::ResourceControl if s.effect == Effect::Allow && !full_access(s) => {
                "an RCP only denies: `Allow` is supported in the built-in RCPFullAWSAccess alone"
            }
            _ => continue,
        };
        out.push(cx.at_statement(&RULE, s, problem).message(problem.to_owned()));
    }
}

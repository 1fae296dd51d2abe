use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::proof::{Verdict, check_no_public_access_within};
use crate::audit::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A resource policy (bucket, queue, topic, key, secret, repository policy...) that allows
    /// a principal outside the accounts, organisations, VPCs and address ranges it names —
    /// proved over every request by `jobzero iam check-no-public-access`, with the request
    /// that gets in shown in the message. Policies the proof cannot decide are not reported
    /// here (run the command to see why). With the organisation's accounts in `jobzero.toml`
    /// (`[iam] accounts`, `organizations`), a grant to any other account is outside too
    /// (IAM Access Analyzer's external access).
    ///
    /// ## Why it matters
    /// Anyone on the internet, or any AWS account, can read, write or delete what the policy
    /// protects.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::exports/*"}
    /// ```
    ///
    /// ## Remediation
    /// Name the principals, or add a condition on `aws:PrincipalOrgID`, `aws:SourceVpce` or
    /// `aws:SourceAccount` (for services); then `jobzero iam check-no-public-access` passes.
    ///
    /// ## References
    /// - CWE-284
    /// - [IAM Access Analyzer: external access findings](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html)
    /// - docs/iam-proofs.md
    pub static RULE = {
        id: "iam/public-access",
        code: "IAM012",
        title: "resource policy allows access from outside its zone of trust",
        family: Family::Iam,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::DATA_PUBLIC,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != PolicyKind::Resource || !cx.policy.problems.is_empty() {
        return;
    }
    if let Verdict::Fail(r) = check_no_public_access_within(cx.policy, cx.trust) {
        let Some(first) = cx.policy.statements.first() else {
            return;
        };
        let context: Vec<String> = r
            .context
            .iter()
            .filter(|(k, _)| !k.starts_with("aws:principal"))
            .map(|(k, v)| format!("{k}={}", v.join(",")))
            .collect();
        let who = match &r.caller {
            crate::eval::Caller::Anonymous => "anyone, without credentials,".to_owned(),
            crate::eval::Caller::Service(s) => format!(
                "`{s}` acting for any account (no `aws:SourceAccount` or `aws:SourceArn` condition names yours)"
            ),
            other => format!("`{}`", other.id()),
        };
        let resource = if r.resource == crate::proof::ANY_RESOURCE {
            "any resource".to_owned()
        } else {
            format!("`{}`", r.resource)
        };
        out.push(cx.at_statement(&RULE, first, "public").message(format!(
            "the policy allows {who} to `{}` on {resource}{}",
            r.action,
            if context.is_empty() {
                String::new()
            } else {
                format!(" (with {})", context.join(" "))
            }
        )));
    }
}

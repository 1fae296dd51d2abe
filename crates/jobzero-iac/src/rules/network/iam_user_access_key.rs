use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A long-term access key created for an IAM user: `aws_iam_access_key`, CloudFormation
    /// `AWS::IAM::AccessKey`. Keys created with status `Inactive` are not reported.
    ///
    /// ## Why it matters
    /// An access key works from anywhere until someone deletes it; it ends up in CI
    /// variables, laptops and, through them, in leaks. Terraform also stores the secret in
    /// its state, readable by everyone who can read the state.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_access_key" "deploy" {
    ///   user = aws_iam_user.deploy.name
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Give workloads roles instead (instance profiles, EKS Pod Identity, OIDC federation for
    /// CI such as GitHub Actions), and people IAM Identity Center; delete the key.
    ///
    /// ## References
    /// - CWE-798
    /// - [AWS: security best practices in IAM](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles)
    pub static RULE = {
        id: "iac/iam-user-access-key",
        code: "IAC092",
        title: "an IAM user gets a long-term access key",
        family: Family::Iac,
        severity: Severity::High,
        confidence: Confidence::High,
        expectation: &expectation::CRED_LONGTERM,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for (rtype, user, status) in [
        ("aws_iam_access_key", "user", "status"),
        ("AWS::IAM::AccessKey", "UserName", "Status"),
    ] {
        for r in cx.of(&[rtype]) {
            if r.str_at(status)
                .is_some_and(|s| s.eq_ignore_ascii_case("Inactive"))
            {
                continue;
            }
            let b = match r.body.get_direct(user) {
                Some(u) => cx.at(&RULE, r, u).message(format!(
                    "`{}` creates a long-term access key for IAM user `{u}`",
                    r.addr
                )),
                None => cx
                    .missing(&RULE, r, user)
                    .message(format!("`{}` creates a long-term access key", r.addr)),
            };
            out.push(b);
        }
    }
}

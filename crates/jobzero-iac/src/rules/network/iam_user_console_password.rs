use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;

use super::common::non_empty;

declare_rule! {
    /// ## What it finds
    /// A console password for an IAM user: `aws_iam_user_login_profile`, or a
    /// `LoginProfile` on CloudFormation `AWS::IAM::User`.
    ///
    /// ## Why it matters
    /// IAM user passwords are long-term credentials managed outside the company's identity
    /// provider: they survive the person's departure, escape single sign-on policies, and are
    /// phished or reused like any other password.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_user_login_profile" "alice" {
    ///   user = aws_iam_user.alice.name
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Give people access through IAM Identity Center (or another federation with your
    /// identity provider) and remove IAM user passwords.
    ///
    /// ## References
    /// - CWE-309
    /// - [AWS: require human users to use federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp)
    pub static RULE = {
        id: "iac/iam-user-console-password",
        code: "IAC093",
        title: "an IAM user gets a console password",
        family: Family::Iac,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::CRED_LONGTERM,
    }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for r in cx.of(&["aws_iam_user_login_profile"]) {
        let b = match r.body.get_direct("user") {
            Some(u) => cx.at(&RULE, r, u).message(format!(
                "`{}` gives IAM user `{u}` a console password",
                r.addr
            )),
            None => cx
                .missing(&RULE, r, "user")
                .message(format!("`{}` gives an IAM user a console password", r.addr)),
        };
        out.push(b);
    }
    for r in cx.of(&["AWS::IAM::User"]) {
        if let Some(p) = r.body.get_direct("LoginProfile")
            && non_empty(Some(p))
        {
            out.push(cx.at(&RULE, r, p).message(format!(
                "IAM user `{}` has a console password (`LoginProfile`)",
                r.addr
            )));
        }
    }
}

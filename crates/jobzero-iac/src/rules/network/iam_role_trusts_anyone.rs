use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::policy::{self, Statement};

use super::common::{assumes_role, trust_policies};

declare_rule! {
    /// ## What it finds
    /// A role trust policy (`assume_role_policy` of `aws_iam_role`,
    /// `AssumeRolePolicyDocument` of CloudFormation `AWS::IAM::Role`) with an `Allow`
    /// statement for `sts:AssumeRole*` that anyone can satisfy: principal `*` or
    /// `{"AWS": "*"}` (or a `NotPrincipal`) without a condition that ties it to an account,
    /// organisation or source (an `sts:ExternalId` alone does not count: it is not a
    /// secret); or a public OIDC issuer (GitHub Actions, GitLab.com, HCP Terraform) trusted
    /// without a `sub` condition naming your repositories, projects or organisation.
    ///
    /// ## Why it matters
    /// Any AWS account in the world, or any repository on GitHub, can assume the role and
    /// act with its permissions; trust policies like this are found and abused by automated
    /// scanners.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "deploy" {
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
    ///       Action    = "sts:AssumeRoleWithWebIdentity"
    ///       Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Name the principals that may assume the role (an account, a role ARN, a service), and
    /// for OIDC federation restrict the `sub` claim to your own repositories and branches
    /// (`repo:my-org/my-repo:ref:refs/heads/main`).
    ///
    /// ## References
    /// - CWE-284
    /// - [AWS: configuring a role for GitHub OIDC identity provider](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub)
    /// - Checkov CKV_AWS_60
    pub static RULE = {
        id: "iac/iam-role-trusts-anyone",
        code: "IAC100",
        title: "an IAM role can be assumed by anyone",
        family: Family::Iac,
        severity: Severity::Critical,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Multi-tenant OIDC issuers: anyone can obtain a token from them.
const PUBLIC_ISSUERS: &[(&str, &str)] = &[
    (
        "token.actions.githubusercontent.com",
        "any repository on GitHub",
    ),
    ("gitlab.com", "any project on GitLab.com"),
    ("app.terraform.io", "any HCP Terraform workspace"),
];

/// Whether a condition ties the statement to an account, organisation or source; an
/// external id is not a secret and does not count.
fn restricted(st: &Statement<'_>) -> bool {
    st.conditions.iter().any(|c| {
        let key = c.key.to_ascii_lowercase();
        key != "sts:externalid"
            && policy::RESTRICTING_KEYS.contains(&key.as_str())
            && !c.values.iter().any(|v| v == "*")
    })
}

/// Whether a `sub` value leaves the subject open (`*`, `repo:*`, `repo:*:ref:...`).
fn open_subject(value: &str) -> bool {
    value.starts_with('*')
        || value
            .split_once(':')
            .is_some_and(|(_, rest)| rest.starts_with('*'))
}

/// The public issuer a statement trusts without pinning the subject, with who can use it.
fn open_issuer(st: &Statement<'_>) -> Option<(&'static str, &'static str)> {
    for (t, id) in &st.principals {
        if !t.eq_ignore_ascii_case("Federated") {
            continue;
        }
        for &(issuer, who) in PUBLIC_ISSUERS {
            if !id.ends_with(&format!("oidc-provider/{issuer}")) {
                continue;
            }
            let key = format!("{issuer}:sub");
            let subs: Vec<&policy::Condition> = st
                .conditions
                .iter()
                .filter(|c| c.key.eq_ignore_ascii_case(&key))
                .collect();
            let pinned = !subs.is_empty()
                && subs
                    .iter()
                    .all(|c| !c.values.is_empty() && !c.values.iter().any(|v| open_subject(v)));
            if !pinned {
                return Some((issuer, who));
            }
        }
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    for d in trust_policies(cx) {
        for st in policy::statements(&d.doc) {
            if !assumes_role(&st) {
                continue;
            }
            let message = if (st.principal_is_anyone() || st.not_principal) && !restricted(&st) {
                format!(
                    "role `{}` trusts every principal (`*`) with no condition limiting who can assume it",
                    d.r.addr
                )
            } else if let Some((issuer, who)) = open_issuer(&st) {
                format!(
                    "role `{}` trusts OIDC tokens of `{issuer}` without pinning `{issuer}:sub`, so {who} can assume it",
                    d.r.addr
                )
            } else {
                continue;
            };
            out.push(
                cx.at(&RULE, d.r, d.node_of(&st))
                    .message(message)
                    .evidence(d.evidence(&st)),
            );
        }
    }
}

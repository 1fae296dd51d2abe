use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::{Effect, Principals, Statement};
use crate::audit::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// A role trust policy that lets anyone assume the role: any AWS principal (`"*"`,
    /// `{"AWS": "*"}`, or a `NotPrincipal`) without a condition that limits who
    /// (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:SourceAccount`, `aws:SourceArn`), or the tokens of a multi-tenant OIDC issuer
    /// (GitHub Actions, GitLab.com, HCP Terraform) without a `sub` condition naming your
    /// repositories, projects or organisation. An `sts:ExternalId` condition does not count:
    /// an external id is not a secret.
    ///
    /// ## Why it matters
    /// Any AWS account in the world, or any repository on GitHub, can assume the role and
    /// act with its permissions.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    /// ```
    ///
    /// ```hcl
    /// assume_role_policy = jsonencode({
    ///   Statement = [{
    ///     Effect    = "Allow"
    ///     Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
    ///     Action    = "sts:AssumeRoleWithWebIdentity"
    ///     Condition = { StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" } }
    ///   }]
    /// })
    /// ```
    ///
    /// ## Remediation
    /// Name the accounts or roles that may assume it, or add an `aws:PrincipalOrgID`
    /// condition for your organisation; for OIDC federation restrict the `sub` claim to your
    /// own repositories and branches (`repo:my-org/my-repo:ref:refs/heads/main`).
    ///
    /// ## References
    /// - CWE-284
    /// - [IAM roles: trust policies](https://docs.aws.amazon.com/IAM/latest/UserGuide/roles-managingrole-editing-console.html#roles-managingrole_edit-trust-policy)
    /// - [AWS: configuring a role for GitHub OIDC identity provider](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub)
    pub static RULE = {
        id: "iam/trust-any-principal",
        code: "IAM010",
        title: "role trust policy lets any AWS principal assume the role",
        family: Family::Iam,
        severity: Severity::Critical,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Condition keys that tie the caller to an account, organisation or source.
const LIMITING: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:userid",
    "aws:username",
];

/// Multi-tenant OIDC issuers: anyone can obtain a token from them.
const PUBLIC_ISSUERS: &[(&str, &str)] = &[
    (
        "token.actions.githubusercontent.com",
        "any repository on GitHub",
    ),
    ("gitlab.com", "any project on GitLab.com"),
    ("app.terraform.io", "any HCP Terraform workspace"),
];

/// Whether a condition ties the statement to a caller (a `*` value ties it to nobody).
fn limited(s: &Statement) -> bool {
    s.conditions.iter().any(|c| {
        LIMITING.contains(&c.key.value.to_ascii_lowercase().as_str())
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
fn open_issuer(s: &Statement) -> Option<(&'static str, &'static str)> {
    let Some(Principals::Typed(list)) = &s.principal else {
        return None;
    };
    for (t, ids) in list {
        if !t.eq_ignore_ascii_case("Federated") {
            continue;
        }
        for id in ids {
            for &(issuer, who) in PUBLIC_ISSUERS {
                if !id.value.ends_with(&format!("oidc-provider/{issuer}")) {
                    continue;
                }
                let key = format!("{issuer}:sub");
                let subs: Vec<_> = s
                    .conditions
                    .iter()
                    .filter(|c| c.key.value.eq_ignore_ascii_case(&key))
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
    }
    None
}

fn any_aws_principal(s: &Statement) -> bool {
    s.not_principal.is_some()
        || match &s.principal {
            Some(Principals::Anyone) => true,
            Some(Principals::Typed(list)) => list
                .iter()
                .any(|(t, ids)| t == "AWS" && ids.iter().any(|i| i.value == "*")),
            None => false,
        }
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != PolicyKind::Trust {
        return;
    }
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow {
            continue;
        }
        if any_aws_principal(s) && !limited(s) {
            out.push(cx.at_statement(&RULE, s, "trust *").message(
                "any AWS principal in any account can assume this role".to_owned(),
            ));
        } else if let Some((issuer, who)) = open_issuer(s) {
            out.push(
                cx.at_statement(&RULE, s, &format!("trust oidc {issuer}"))
                    .message(format!(
                        "the role trusts OIDC tokens of `{issuer}` without pinning `{issuer}:sub`, so {who} can assume it"
                    )),
            );
        }
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::document::Effect;
use crate::rules::util::{any_resource, granted, listing};
use crate::audit::{Cx, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows, on every resource (`*`), an action whose
    /// response is a credential: `iam:UpdateAccessKey`, `iam:CreateServiceSpecificCredential`,
    /// `iam:ResetServiceSpecificCredential`, `ec2:GetPasswordData`,
    /// `ec2-instance-connect:SendSSHPublicKey`, `redshift:GetClusterCredentials`,
    /// `rds-db:connect`, `sts:GetFederationToken`, `sso:GetRoleCredentials`, Lightsail and
    /// other service credential calls. Creating access keys and login profiles is reported by
    /// `iam-policy-privilege-escalation`; the full wildcard `*` by `iam/full-admin-access`.
    ///
    /// ## Why it matters
    /// The identity can obtain working credentials for other principals, instances and
    /// databases across the account, and move laterally with them.
    ///
    /// ## Example
    /// ```hcl
    /// statement {
    ///   actions   = ["ec2:GetPasswordData", "rds-db:connect"]
    ///   resources = ["*"]
    /// }
    /// ```
    ///
    /// ## Remediation
    /// Scope these actions to the instances, clusters and database users the task needs
    /// (`arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABC/app`).
    ///
    /// ## References
    /// - CWE-522
    /// - [AWS: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - Checkov CKV_AWS_287, CKV_AWS_107
    pub static RULE = {
        id: "iam/credentials-exposure",
        code: "IAM021",
        title: "a policy allows obtaining credentials on every resource",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::IAM_LEASTPRIV,
    }
}

/// Actions that return or create credentials for other principals or resources.
const CREDENTIALS: &[&str] = &[
    "iam:UpdateAccessKey",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "ec2:GetPasswordData",
    "ec2-instance-connect:SendSSHPublicKey",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "rds-db:connect",
    "sts:GetFederationToken",
    "sso:GetRoleCredentials",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "chime:CreateApiKey",
    "gamelift:RequestUploadCredentials",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if cx.kind != PolicyKind::Identity {
        return;
    }
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow || !any_resource(s) {
            continue;
        }
        let hit = granted(s, CREDENTIALS);
        if hit.is_empty() {
            continue;
        }
        out.push(
            cx.at_statement(&RULE, s, &format!("credentials {}", hit.join(" ")))
                .message(format!(
                    "the statement allows {} on every resource (`*`), which returns credentials",
                    listing(&hit)
                )),
        );
    }
}

use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::audit::Cx;
use jobzero_core::check::Sink;
use crate::policy;

use super::common::{granted, identity_policies, listing};

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows, on every resource (`*`), an action whose
    /// response is a credential: `iam:UpdateAccessKey`, `iam:CreateServiceSpecificCredential`,
    /// `iam:ResetServiceSpecificCredential`, `ec2:GetPasswordData`,
    /// `ec2-instance-connect:SendSSHPublicKey`, `redshift:GetClusterCredentials`,
    /// `rds-db:connect`, `sts:GetFederationToken`, `sso:GetRoleCredentials`, Lightsail and
    /// other service credential calls. Creating access keys and login profiles is reported by
    /// `iam-policy-privilege-escalation`; the full wildcard `*` by `iam-policy-admin-access`.
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
        id: "iac/iam-policy-credentials-exposure",
        code: "IAC099",
        title: "an IAM policy allows obtaining credentials on every resource",
        family: Family::Iac,
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
    for d in identity_policies(cx) {
        for st in policy::statements(&d.doc) {
            if !st.any_resource() {
                continue;
            }
            let hit = granted(&st, CREDENTIALS);
            if hit.is_empty() {
                continue;
            }
            out.push(
                cx.at(&RULE, d.r, d.node_of(&st))
                    .message(format!(
                        "`{}` allows {} on every resource (`*`), which returns credentials",
                        d.r.addr,
                        listing(&hit)
                    ))
                    .evidence(d.evidence(&st)),
            );
        }
    }
}

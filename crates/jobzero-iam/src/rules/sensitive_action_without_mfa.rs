use jobzero_core::{Confidence, Family, Severity, declare_rule, expectation};

use crate::catalogue::{AccessLevel, CATALOGUE};
use crate::document::{Effect, Policy, Statement};
use crate::glob::matches;
use crate::rules::util::{any_resource, statement_actions};
use crate::audit::{Cx, Mfa, PolicyKind};
use jobzero_core::check::Sink;

declare_rule! {
    /// ## What it finds
    /// When the organisation requires MFA for sensitive actions (`[iam] require-mfa` in
    /// `jobzero.toml`), an identity or trust policy that allows one of them without a
    /// condition on `aws:MultiFactorAuthPresent` (or `aws:MultiFactorAuthAge`), and without
    /// a Deny elsewhere in the policy that refuses it when MFA is absent.
    ///
    /// `require-mfa = true` counts as sensitive every action whose access level is
    /// *Permissions management* (IAM, bucket and key policies, grants...) and the actions
    /// that delete or disable what cannot be brought back (trails, keys, buckets, backups,
    /// databases, instances). A list (`require-mfa = ["iam:*", "sts:AssumeRole"]`) names
    /// the actions instead. The rule is silent unless the setting is on.
    ///
    /// ## Why it matters
    /// A stolen access key or session cookie alone must not be enough to change who can do
    /// what, or to destroy data: MFA makes the attacker need the person's device too.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}
    /// ```
    ///
    /// ## Remediation
    /// Add `"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}` to the statement,
    /// or a Deny of the sensitive actions with
    /// `{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}`.
    ///
    /// ## References
    /// - CWE-308
    /// - [Configuring MFA-protected API access](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html)
    pub static RULE = {
        id: "iam/sensitive-action-without-mfa",
        code: "IAM017",
        title: "sensitive action allowed without MFA where the organisation requires it",
        family: Family::Iam,
        severity: Severity::Medium,
        confidence: Confidence::High,
        expectation: &expectation::MFA,
    }
}

/// Actions that delete or disable what cannot be brought back, or blind the account.
const DESTRUCTIVE: &[&str] = &[
    "cloudtrail:DeleteTrail",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "s3:DeleteBucket",
    "s3:PutBucketVersioning",
    "s3:PutLifecycleConfiguration",
    "backup:DeleteBackupVault",
    "backup:DeleteRecoveryPoint",
    "rds:DeleteDBInstance",
    "rds:DeleteDBCluster",
    "rds:DeleteDBSnapshot",
    "dynamodb:DeleteTable",
    "ec2:TerminateInstances",
    "ec2:DeleteSnapshot",
    "ec2:DeleteVolume",
    "guardduty:DeleteDetector",
    "config:DeleteConfigurationRecorder",
    "config:StopConfigurationRecorder",
    "organizations:LeaveOrganization",
];

/// Whether `action` (catalogue spelling) needs MFA under `mfa`.
fn sensitive(mfa: &Mfa, action: &str) -> bool {
    match mfa {
        Mfa::Off => false,
        Mfa::Actions(patterns) => patterns.iter().any(|p| matches(p, action)),
        Mfa::Default => {
            DESTRUCTIVE.iter().any(|d| d.eq_ignore_ascii_case(action))
                || CATALOGUE
                    .action(action)
                    .is_some_and(|(_, a)| a.access == AccessLevel::PermissionsManagement)
        }
    }
}

const MFA_KEYS: &[&str] = &["aws:multifactorauthpresent", "aws:multifactorauthage"];

/// Whether the statement is limited to callers with MFA.
fn requires_mfa(s: &Statement) -> bool {
    s.conditions.iter().any(|c| {
        let key = c.key.value.to_ascii_lowercase();
        let op = c.operator.value.to_ascii_lowercase();
        (key == "aws:multifactorauthpresent"
            && op.starts_with("bool")
            && !op.ends_with("ifexists")
            && c.values.iter().all(|v| v.eq_ignore_ascii_case("true")))
            || (key == "aws:multifactorauthage" && op.starts_with("numericless"))
    })
}

/// Whether a Deny of the policy refuses `action` on every resource when MFA is absent.
fn denied_without_mfa(p: &Policy, action: &str) -> bool {
    p.statements.iter().any(|s| {
        let covers = match (&s.action, &s.not_action) {
            (Some(a), _) => a.iter().any(|x| matches(&x.value, action)),
            (None, Some(na)) => !na.iter().any(|x| matches(&x.value, action)),
            (None, None) => false,
        };
        s.effect == Effect::Deny
            && covers
            && any_resource(s)
            && !s.conditions.is_empty()
            && s.conditions.iter().all(|c| {
                let key = c.key.value.to_ascii_lowercase();
                let op = c.operator.value.to_ascii_lowercase();
                MFA_KEYS.contains(&key.as_str())
                    && ((op.starts_with("bool") && c.values.iter().all(|v| v == "false"))
                        || (op == "null" && c.values.iter().all(|v| v == "true"))
                        || op.starts_with("numericgreater"))
            })
    })
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Sink) {
    if matches!(cx.mfa, Mfa::Off) || !matches!(cx.kind, PolicyKind::Identity | PolicyKind::Trust)
    {
        return;
    }
    for s in &cx.policy.statements {
        if s.effect != Effect::Allow || requires_mfa(s) {
            continue;
        }
        let exposed: Vec<String> = statement_actions(s)
            .into_iter()
            .filter(|a| sensitive(cx.mfa, a) && !denied_without_mfa(cx.policy, a))
            .collect();
        let Some(first) = exposed.first() else {
            continue;
        };
        let if_exists = s.conditions.iter().any(|c| {
            c.key.value.eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
                && c.operator.value.to_ascii_lowercase().ends_with("ifexists")
        });
        let more = match exposed.len() {
            1 => String::new(),
            n => format!(" and {} more sensitive action(s)", n - 1),
        };
        out.push(
            cx.at_statement(&RULE, s, "mfa")
                .message(format!(
                    "`{first}`{more} allowed without MFA (`aws:MultiFactorAuthPresent`), which `[iam] require-mfa` asks for{}",
                    if if_exists {
                        " (`...IfExists` lets long-term access keys through, as they carry no MFA key: use `Bool`)"
                    } else {
                        ""
                    }
                )),
        );
    }
}

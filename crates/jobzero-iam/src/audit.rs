//! What a rule of the family sees: one policy ([`Cx`]), how it is used ([`PolicyKind`]),
//! and the settings that shape the judgement.

use jobzero_core::config::RequireMfa;
use jobzero_core::finding::{FindingBuilder, Location};
use jobzero_core::{Finding, RuleMeta};

use crate::document::{At, Policy, Statement};
use crate::proof::Trust;

/// How a policy is used, from its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// Attached to an identity: no `Principal`.
    Identity,
    /// Attached to a resource: statements name principals.
    Resource,
    /// A role's trust policy: principals allowed to assume it.
    Trust,
    /// An organisation's service control policy (SCP): a limit on what the accounts'
    /// principals may do, not a grant (`Allow *` is the default `FullAWSAccess`).
    ServiceControl,
    /// An organisation's resource control policy (RCP): a limit on what may be done to the
    /// accounts' resources, not a grant.
    ResourceControl,
    /// A VPC endpoint policy: what may pass through the endpoint (`Principal: "*"` is the
    /// norm, the network is the boundary).
    Endpoint,
}

impl PolicyKind {
    /// Whether the policy limits what others grant (an SCP or RCP) rather than granting.
    pub fn is_guardrail(self) -> bool {
        matches!(
            self,
            PolicyKind::ServiceControl | PolicyKind::ResourceControl
        )
    }

    /// Whether its `Allow` grants anything: not a guardrail (an SCP's `Allow *` is the
    /// default `FullAWSAccess`), not an endpoint policy (it only lets through what other
    /// policies grant).
    pub fn grants(self) -> bool {
        !self.is_guardrail() && self != PolicyKind::Endpoint
    }
}

/// One policy under audit.
pub struct Cx<'a> {
    /// The file.
    pub path: &'a str,
    /// The policy.
    pub policy: &'a Policy,
    /// Its kind.
    pub kind: PolicyKind,
    /// Where it starts in the file (for evidence when a file holds several).
    pub line: u32,
    /// What holds it in infrastructure code (`aws_s3_bucket_policy.site.policy`); empty for
    /// a policy file.
    pub label: &'a str,
    /// Which actions need MFA (`[iam] require-mfa`).
    pub mfa: &'a Mfa,
    /// The organisation's zone of trust (`[iam] accounts`, `organizations`).
    pub trust: &'a Trust,
}

/// Which actions the organisation allows only with MFA.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Mfa {
    /// None (the default).
    #[default]
    Off,
    /// Permissions management and destructive actions.
    Default,
    /// These action patterns.
    Actions(Vec<String>),
}

impl Mfa {
    /// From `[iam] require-mfa`.
    pub fn from_config(c: &RequireMfa) -> Mfa {
        match c {
            RequireMfa::Flag(false) => Mfa::Off,
            RequireMfa::Flag(true) => Mfa::Default,
            RequireMfa::Actions(list) => Mfa::Actions(list.clone()),
        }
    }
}

impl Cx<'_> {
    /// A finding of `rule` at `line:column`, with evidence that survives line moves.
    pub fn at(
        &self,
        rule: &'static RuleMeta,
        line: u32,
        column: u32,
        evidence: &str,
    ) -> FindingBuilder {
        self.at_span(rule, line, column, line, evidence)
    }

    /// A finding of `rule` from `line:column` to the end of `end_line`.
    fn at_span(
        &self,
        rule: &'static RuleMeta,
        line: u32,
        column: u32,
        end_line: u32,
        evidence: &str,
    ) -> FindingBuilder {
        let (line, column) = (line.max(1), column.max(1));
        let end_column = if end_line > line { 0 } else { column + 1 };
        let location =
            Location::lines(self.path, line, end_line.max(line)).columns(column, end_column);
        Finding::builder(rule)
            .location(location)
            .evidence(format!("policy@{} {evidence}", self.index()))
    }

    /// A finding about an element value.
    pub fn at_value(
        &self,
        rule: &'static RuleMeta,
        v: &At<String>,
        evidence: &str,
    ) -> FindingBuilder {
        self.at(rule, v.line, v.column, evidence)
    }

    /// A finding about a statement.
    pub fn at_statement(
        &self,
        rule: &'static RuleMeta,
        s: &Statement,
        evidence: &str,
    ) -> FindingBuilder {
        self.at_span(
            rule,
            s.line,
            s.column,
            s.end_line,
            &format!("{} {evidence}", s.sid.as_deref().unwrap_or("")),
        )
    }

    /// Which policy of the file this is, stable across edits elsewhere: its first statement's
    /// Sid or its order.
    fn index(&self) -> String {
        if !self.label.is_empty() {
            return self.label.to_owned();
        }
        self.policy
            .statements
            .first()
            .and_then(|s| s.sid.clone())
            .unwrap_or_default()
    }
}

/// The kind of a policy from its statements.
pub fn kind_of(p: &Policy) -> PolicyKind {
    let has_principal = p
        .statements
        .iter()
        .any(|s| s.principal.is_some() || s.not_principal.is_some());
    if !has_principal {
        return PolicyKind::Identity;
    }
    let assume = p.statements.iter().all(|s| {
        s.action.as_ref().is_some_and(|a| {
            !a.is_empty()
                && a.iter().all(|x| {
                    x.value.to_ascii_lowercase().starts_with("sts:assumerole")
                        || x.value.eq_ignore_ascii_case("sts:TagSession")
                        || x.value.eq_ignore_ascii_case("sts:SetSourceIdentity")
                })
        })
    });
    if assume {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    }
}

/// A CloudFormation stack policy (`"Action": "Update:*"`, `"Principal": "*"`) governs
/// updates of a stack's resources, not access to AWS: not an IAM policy.
pub(crate) fn is_stack_policy(p: &Policy) -> bool {
    let update = |s: &Statement| {
        s.action.iter().chain(&s.not_action).flatten().all(|a| {
            a.value == "*"
                || a.value
                    .get(..7)
                    .is_some_and(|x| x.eq_ignore_ascii_case("Update:"))
        })
    };
    !p.statements.is_empty()
        && p.statements.iter().all(update)
        && p.statements.iter().any(|s| {
            s.action
                .iter()
                .chain(&s.not_action)
                .flatten()
                .any(|a| a.value != "*")
        })
}

/// A JSON file's SCP or RCP nature, which its shape cannot tell (an RCP reads like a resource
/// policy, an SCP like an identity policy), from its path: a segment or name such as
/// `scps/deny-leaving.json`, `rcp-data-perimeter.json`, `service-control-policies/`.
pub fn control_policy_hint(path: &str) -> Option<PolicyKind> {
    let lower = path.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let phrase = |a: &str| {
        words
            .windows(3)
            .any(|w| w[0] == a && w[1] == "control" && w[2].starts_with("polic"))
    };
    if words.iter().any(|w| matches!(*w, "rcp" | "rcps")) || phrase("resource") {
        Some(PolicyKind::ResourceControl)
    } else if words.iter().any(|w| matches!(*w, "scp" | "scps")) || phrase("service") {
        Some(PolicyKind::ServiceControl)
    } else {
        None
    }
}

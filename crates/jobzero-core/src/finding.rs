//! The finding: one model for every scanner and every ingested tool.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::rule::{Family, RuleMeta};
use crate::severity::{Confidence, Severity};

/// Where a finding is: a file, a span in it, a symbolic route and a snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the scan root, with `/` separators (or a URI kept as the tool gave it,
    /// for ingested results).
    pub path: String,
    /// 1-based first line; 0 when the finding concerns the whole file.
    #[serde(default)]
    pub start_line: u32,
    /// 1-based first column; 0 when unknown.
    #[serde(default)]
    pub start_column: u32,
    /// 1-based last line (inclusive).
    #[serde(default)]
    pub end_line: u32,
    /// 1-based column just after the span; 0 when unknown.
    #[serde(default)]
    pub end_column: u32,
    /// Symbolic route to the element (`jobs.build.steps[2].uses`,
    /// `resource.aws_s3_bucket.logs.acl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// The source lines from `start_line` to `end_line`; secrets are redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

impl Location {
    /// A location covering a whole file.
    pub fn file(path: impl Into<String>) -> Location {
        Location {
            path: path.into(),
            start_line: 0,
            start_column: 0,
            end_line: 0,
            end_column: 0,
            route: None,
            snippet: None,
        }
    }

    /// A location on lines `start..=end` of `path`.
    pub fn lines(path: impl Into<String>, start: u32, end: u32) -> Location {
        Location {
            start_line: start,
            end_line: end.max(start),
            ..Location::file(path)
        }
    }

    /// Sets the columns (1-based start, end just after the span).
    #[must_use]
    pub fn columns(mut self, start: u32, end: u32) -> Location {
        self.start_column = start;
        self.end_column = end;
        self
    }

    /// Sets the symbolic route.
    #[must_use]
    pub fn route(mut self, route: impl Into<String>) -> Location {
        self.route = Some(route.into());
        self
    }

    /// Sets the snippet.
    #[must_use]
    pub fn snippet(mut self, snippet: impl Into<String>) -> Location {
        self.snippet = Some(snippet.into());
        self
    }
}

/// One step of a data-flow trace: where, and what happens there (`untrusted HTTP request
/// parameter: flask.request.args`, `assigned to bar`, `reaches os.system`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceStep {
    /// Where the step is.
    pub location: Location,
    /// What happens there.
    pub message: String,
}

/// A package, for dependency findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// OSV ecosystem name (`npm`, `PyPI`, `crates.io`, `Maven`, ...).
    pub ecosystem: String,
    /// Package name as the ecosystem spells it.
    pub name: String,
    /// Exact version.
    pub version: String,
    /// Package URL.
    pub purl: String,
}

/// An advisory, for vulnerability findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisory {
    /// Primary id (`GHSA-…`, `RUSTSEC-…`, `PYSEC-…`).
    pub id: String,
    /// Other ids of the same vulnerability (`CVE-…`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Versions that fix it.
    #[serde(default)]
    pub fixed: Vec<String>,
}

/// Where a finding first entered a repository's history (`--git-history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Introduced {
    /// The commit that first contained the finding.
    pub commit: String,
    /// Its author time, RFC 3339.
    pub time: String,
    /// The path in that commit.
    pub path: String,
}

/// What was scanned: the service, repository, commit and artifact a finding belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// Service name (from `--service` or `[service] name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Repository URL or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Commit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Built artifact (image, package) the scan concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
}

impl Target {
    /// Whether nothing is known about the target.
    pub fn is_empty(&self) -> bool {
        self == &Target::default()
    }
}

/// One finding. Built only through [`FindingBuilder`], which refuses a finding without a
/// rule, a primary location and evidence for its fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id (`secret/aws-access-key-id`, `sarif/semgrep/python.lang.eval`).
    pub rule: String,
    /// Rule code (`SEC001`).
    pub code: String,
    /// Scanner family.
    pub family: Family,
    /// The rule's title, or the ingested tool's.
    pub title: String,
    /// What is wrong here, specifically.
    pub message: String,
    /// Base severity: from the rule, the configuration or a CVSS score.
    pub severity: Severity,
    /// Severity after the service's context (exposure, data classification).
    pub effective_severity: Severity,
    /// Why the effective severity differs from the base one; absent when they are equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_reason: Option<String>,
    /// How sure the rule is.
    pub confidence: Confidence,
    /// Id of the security expectation the rule enforces.
    pub expectation: String,
    /// The primary location.
    pub location: Location,
    /// Other places that explain the finding (a taint source, the resource a policy is on).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
    /// Stable identity: rule, path and normalised evidence, never line numbers.
    pub fingerprint: String,
    /// CWE, CVE/GHSA ids and URLs.
    #[serde(default)]
    pub references: Vec<String>,
    /// How to fix it.
    pub remediation: String,
    /// For dependency findings: the package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// For vulnerability findings: the advisory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advisory: Option<Advisory>,
    /// How untrusted data travels from its source to the sink, step by step (code findings);
    /// each step's location says where and its `route` what happens there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceStep>,
    /// The service, repository and commit the finding belongs to.
    #[serde(default, skip_serializing_if = "Target::is_empty")]
    pub target: Target,
    /// Where the finding first appeared in the repository's history, when history was
    /// scanned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<Introduced>,
    /// For a secret checked with its issuer (`scan --verify`): whether the issuer accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verified>,
}

/// What a secret's issuer answered when asked, harmlessly, whether it accepts the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verified {
    /// The issuer accepted it: anyone holding it can use it now.
    Live,
    /// The issuer refused it: revoked, expired or never valid.
    Revoked,
    /// No answer that decides (rate limited, unreachable, timed out, unexpected reply).
    Unknown,
}

impl Verified {
    /// The lowercase name (`live`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verified::Live => "live",
            Verified::Revoked => "revoked",
            Verified::Unknown => "unknown",
        }
    }
}

impl Finding {
    /// Starts a finding of `rule`.
    pub fn builder(rule: &'static RuleMeta) -> FindingBuilder {
        FindingBuilder {
            rule,
            rule_id: None,
            title: None,
            message: None,
            severity: None,
            confidence: None,
            location: None,
            related: Vec::new(),
            trace: Vec::new(),
            evidence: None,
            references: Vec::new(),
            remediation: None,
            package: None,
            advisory: None,
        }
    }

    /// Sets the effective severity, recording why it differs from the base severity.
    pub fn set_effective_severity(&mut self, effective: Severity, reason: impl Into<String>) {
        self.effective_severity = effective;
        self.severity_reason = (effective != self.severity).then(|| reason.into());
    }

    /// Sets a new base severity (a configuration override); the effective severity follows.
    pub fn override_severity(&mut self, severity: Severity) {
        self.severity = severity;
        self.effective_severity = severity;
        self.severity_reason = None;
    }

    /// The order of every output: path, line, column, rule, fingerprint.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.location.path,
            self.location.start_line,
            self.location.start_column,
            &self.rule,
            &self.fingerprint,
        )
    }
}

/// Why a finding could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindingError {
    /// No primary location was given.
    #[error("finding of rule `{0}` has no primary location")]
    MissingLocation(String),
    /// No evidence was given, so no fingerprint can be computed.
    #[error("finding of rule `{0}` has no evidence to fingerprint")]
    MissingEvidence(String),
    /// The primary location has an empty path.
    #[error("finding of rule `{0}` has a location with an empty path")]
    EmptyPath(String),
    /// A dynamic id outside the rule's namespace.
    #[error("finding id `{0}` is outside the namespace of rule `{1}`")]
    ForeignRuleId(String, &'static str),
}

/// Builds a [`Finding`]; see [`Finding::builder`].
#[derive(Debug)]
#[must_use]
pub struct FindingBuilder {
    rule: &'static RuleMeta,
    rule_id: Option<String>,
    title: Option<String>,
    message: Option<String>,
    severity: Option<Severity>,
    confidence: Option<Confidence>,
    location: Option<Location>,
    related: Vec<Location>,
    trace: Vec<TraceStep>,
    evidence: Option<String>,
    references: Vec<String>,
    remediation: Option<String>,
    package: Option<Package>,
    advisory: Option<Advisory>,
}

impl FindingBuilder {
    /// Replaces the rule id, for rules whose findings carry a dynamic id (`vuln/GHSA-…`,
    /// `sarif/<tool>/<rule>`). The id must start with the rule's namespace.
    pub fn rule_id(mut self, id: impl Into<String>) -> Self {
        self.rule_id = Some(id.into());
        self
    }
    /// Replaces the rule's title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
    /// What is wrong here (defaults to the title).
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
    /// Replaces the rule's default severity (a CVSS score, an ingested level).
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
    /// Replaces the rule's default confidence (raised by structural validation).
    pub fn confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = Some(confidence);
        self
    }
    /// The primary location (required).
    pub fn location(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
    /// Adds a related location.
    pub fn related(mut self, location: Location) -> Self {
        self.related.push(location);
        self
    }
    /// The data-flow trace, source first.
    pub fn trace(mut self, trace: Vec<TraceStep>) -> Self {
        self.trace = trace;
        self
    }
    /// What identifies this finding apart from rule and path (required): the resource
    /// address, the route, the package and advisory, a hash of the secret. Whitespace is
    /// normalised before hashing, so reformatting does not change the fingerprint.
    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }
    /// Adds a reference (CWE, CVE, URL); the rule's own references are always included.
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.references.push(reference.into());
        self
    }
    /// Replaces the rule's remediation text.
    pub fn remediation(mut self, remediation: impl Into<String>) -> Self {
        self.remediation = Some(remediation.into());
        self
    }
    /// The package, for dependency findings.
    pub fn package(mut self, package: Package) -> Self {
        self.package = Some(package);
        self
    }
    /// The advisory, for vulnerability findings.
    pub fn advisory(mut self, advisory: Advisory) -> Self {
        self.advisory = Some(advisory);
        self
    }

    /// Checks the finding and computes its fingerprint.
    pub fn build(self) -> Result<Finding, FindingError> {
        let rule_id = self.rule_id.unwrap_or_else(|| self.rule.id.to_owned());
        let namespace = self.rule.family.rule_namespace();
        if rule_id
            .strip_prefix(namespace)
            .is_none_or(|rest| !rest.starts_with('/'))
        {
            return Err(FindingError::ForeignRuleId(rule_id, self.rule.id));
        }
        let location = self
            .location
            .ok_or_else(|| FindingError::MissingLocation(rule_id.clone()))?;
        if location.path.is_empty() {
            return Err(FindingError::EmptyPath(rule_id));
        }
        let evidence = self
            .evidence
            .ok_or_else(|| FindingError::MissingEvidence(rule_id.clone()))?;
        let fingerprint = fingerprint(&rule_id, &location.path, &evidence);
        let title = self.title.unwrap_or_else(|| self.rule.title.to_owned());
        let severity = self.severity.unwrap_or(self.rule.severity);
        // A rule with dynamic ids (an advisory, an ingested tool's rule) is only the carrier:
        // the finding's own references say more than the carrier's docs.
        let mut references = if self.rule.dynamic_ids && !self.references.is_empty() {
            Vec::new()
        } else {
            self.rule.references()
        };
        for r in self.references {
            if !references.contains(&r) {
                references.push(r);
            }
        }
        Ok(Finding {
            code: self.rule.code.to_owned(),
            family: self.rule.family,
            message: self.message.unwrap_or_else(|| title.clone()),
            title,
            severity,
            effective_severity: severity,
            severity_reason: None,
            confidence: self.confidence.unwrap_or(self.rule.confidence),
            expectation: self.rule.expectation.id.to_owned(),
            location,
            related_locations: self.related,
            trace: self.trace,
            fingerprint,
            references,
            remediation: self
                .remediation
                .or_else(|| self.rule.doc_section_unwrapped("Remediation"))
                .unwrap_or_default(),
            package: self.package,
            advisory: self.advisory,
            target: Target::default(),
            introduced: None,
            verified: None,
            rule: rule_id,
        })
    }
}

/// The fingerprint of a finding: SHA-256 over rule id, path and whitespace-normalised
/// evidence, as 32 hex digits. Line numbers are deliberately left out so that edits
/// elsewhere in the file do not change it.
pub fn fingerprint(rule_id: &str, path: &str, evidence: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [rule_id, path] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let mut first = true;
    for word in evidence.split_whitespace() {
        if !first {
            hasher.update(b" ");
        }
        first = false;
        hasher.update(word.as_bytes());
    }
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Makes fingerprints unique within one report: the second and later findings with the same
/// fingerprint (the same evidence twice in one file) get `-2`, `-3`, ... in their order in the
/// file. Expects findings sorted by [`Finding::sort_key`].
pub fn disambiguate_fingerprints(findings: &mut [Finding]) {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for f in findings.iter_mut() {
        let n = seen.entry(f.fingerprint.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            f.fingerprint = format!("{}-{}", f.fingerprint, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{declare_rule, expectation};

    declare_rule! {
        /// ## What it finds
        /// Test.
        /// ## Why it matters
        /// Test.
        /// ## Example
        /// Test.
        /// ## Remediation
        /// Fix it
        /// properly.
        /// ## References
        /// - CWE-1
        static TEST_RULE = {
            id: "iac/test-rule",
            code: "IAC999",
            title: "a test rule",
            family: Family::Iac,
            severity: Severity::High,
            confidence: Confidence::Medium,
            expectation: &expectation::TLS,
        }
    }

    fn at(line: u32, evidence: &str) -> Finding {
        Finding::builder(&TEST_RULE)
            .location(Location::lines("main.tf", line, line))
            .evidence(evidence)
            .build()
            .unwrap()
    }

    #[test]
    fn builder_refuses_incomplete_findings() {
        let no_location = Finding::builder(&TEST_RULE).evidence("x").build();
        assert_eq!(
            no_location,
            Err(FindingError::MissingLocation("iac/test-rule".into()))
        );
        let no_evidence = Finding::builder(&TEST_RULE)
            .location(Location::file("a"))
            .build();
        assert_eq!(
            no_evidence,
            Err(FindingError::MissingEvidence("iac/test-rule".into()))
        );
        let empty_path = Finding::builder(&TEST_RULE)
            .location(Location::file(""))
            .evidence("x")
            .build();
        assert!(matches!(empty_path, Err(FindingError::EmptyPath(_))));
        let foreign = Finding::builder(&TEST_RULE)
            .rule_id("secret/x")
            .location(Location::file("a"))
            .evidence("x")
            .build();
        assert!(matches!(foreign, Err(FindingError::ForeignRuleId(..))));
    }

    #[test]
    fn builder_fills_from_the_rule() {
        let f = at(3, "aws_lb_listener.web");
        assert_eq!(f.rule, "iac/test-rule");
        assert_eq!(f.code, "IAC999");
        assert_eq!(f.message, "a test rule");
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.effective_severity, Severity::High);
        assert_eq!(f.expectation, "JZ-TLS");
        assert_eq!(f.remediation, "Fix it properly.");
        assert_eq!(f.references, vec!["CWE-1".to_owned()]);
    }

    #[test]
    fn fingerprint_ignores_line_moves_and_whitespace() {
        // Lines added above the finding move it from line 3 to line 40: same identity.
        assert_eq!(
            at(3, "aws_lb_listener.web").fingerprint,
            at(40, "aws_lb_listener.web").fingerprint
        );
        assert_eq!(at(3, "a  b\n c").fingerprint, at(3, "a b c").fingerprint);
        assert_ne!(
            at(3, "aws_lb_listener.web").fingerprint,
            at(3, "aws_lb_listener.api").fingerprint
        );
        assert_ne!(
            fingerprint("iac/a", "x.tf", "e"),
            fingerprint("iac/a", "y.tf", "e"),
            "the path is part of the identity"
        );
        assert_ne!(
            fingerprint("iac/a", "x", "e"),
            fingerprint("iac/b", "x", "e")
        );
        // The separator keeps `ab` + `c` apart from `a` + `bc`.
        assert_ne!(fingerprint("ab", "c", "e"), fingerprint("a", "bc", "e"));
        assert_eq!(at(1, "x").fingerprint.len(), 32);
    }

    #[test]
    fn duplicate_evidence_in_one_file_gets_numbered() {
        let mut fs = vec![at(1, "same"), at(5, "same"), at(9, "other")];
        disambiguate_fingerprints(&mut fs);
        assert_eq!(fs[1].fingerprint, format!("{}-2", fs[0].fingerprint));
        assert!(!fs[2].fingerprint.contains('-'));
    }

    #[test]
    fn effective_severity_records_its_reason() {
        let mut f = at(1, "x");
        f.set_effective_severity(Severity::Critical, "internet-facing");
        assert_eq!(f.severity_reason.as_deref(), Some("internet-facing"));
        f.set_effective_severity(Severity::High, "no change");
        assert_eq!(f.severity_reason, None);
    }
}

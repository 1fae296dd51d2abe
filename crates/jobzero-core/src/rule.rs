//! Rules: the static metadata every check declares, and its documentation.
//!
//! A rule is declared once, in its own file, with [`declare_rule!`]. Its doc comment is the
//! published documentation (`jobzero rules explain`, `docs/rules/`), so the two cannot drift.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::expectation::Expectation;
use crate::severity::{Confidence, Severity};

/// A scanner family. Each family is a crate of its own; `--only` and `--skip` take these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Hard-coded credentials in files and git history.
    Secrets,
    /// Dependency inventory (SBOM) and known vulnerabilities.
    Deps,
    /// Infrastructure as code.
    Iac,
    /// IAM policy documents.
    Iam,
    /// CI workflow files.
    Pipeline,
    /// First-party source code: taint analysis and dangerous calls.
    Code,
    /// Results of other tools, ingested from SARIF.
    Sarif,
}

impl Family {
    /// Every family, in the order they run and are documented.
    pub const ALL: [Family; 7] = [
        Family::Secrets,
        Family::Deps,
        Family::Iac,
        Family::Iam,
        Family::Pipeline,
        Family::Code,
        Family::Sarif,
    ];

    /// The name used on the command line and in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Secrets => "secrets",
            Family::Deps => "deps",
            Family::Iac => "iac",
            Family::Iam => "iam",
            Family::Pipeline => "pipeline",
            Family::Code => "code",
            Family::Sarif => "sarif",
        }
    }

    /// The namespace that starts every rule id of the family (`secret/aws-access-key-id`).
    pub fn rule_namespace(self) -> &'static str {
        match self {
            Family::Secrets => "secret",
            Family::Deps => "vuln",
            Family::Iac => "iac",
            Family::Iam => "iam",
            Family::Pipeline => "pipeline",
            Family::Code => "code",
            Family::Sarif => "sarif",
        }
    }

    /// The prefix of every rule code of the family (`SEC001`).
    pub fn code_prefix(self) -> &'static str {
        match self {
            Family::Secrets => "SEC",
            Family::Deps => "DEP",
            Family::Iac => "IAC",
            Family::Iam => "IAM",
            Family::Pipeline => "CI",
            Family::Code => "CODE",
            Family::Sarif => "SARIF",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A family name that is not one of the seven.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown family `{0}` (expected secrets, deps, iac, iam, pipeline, code or sarif)")]
pub struct UnknownFamily(pub String);

impl FromStr for Family {
    type Err = UnknownFamily;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Family::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownFamily(s.to_owned()))
    }
}

/// The family that owns the judgement of an expectation, when one does: where its finding and
/// another family's enforce the expectation on the same line, the owner's is the one kept
/// (literal credentials belong to the secrets family's detectors).
pub fn expectation_owner(expectation: &str) -> Option<Family> {
    match expectation {
        "JZ-SECRET-HARDCODED" => Some(Family::Secrets),
        _ => None,
    }
}

/// The static description of a rule. Declared with [`declare_rule!`].
#[derive(Debug)]
pub struct RuleMeta {
    /// Permanent id: the family namespace and a kebab-case name of the bad pattern
    /// (`iac/s3-bucket-public-read`).
    pub id: &'static str,
    /// Permanent short code with the family prefix (`IAC014`); never reused.
    pub code: &'static str,
    /// One line, in the words a finding's title uses.
    pub title: &'static str,
    /// The family the rule belongs to.
    pub family: Family,
    /// Default base severity.
    pub severity: Severity,
    /// How sure the rule is when it fires.
    pub confidence: Confidence,
    /// The security expectation the rule enforces.
    pub expectation: &'static Expectation,
    /// Whether findings carry their own ids under the rule's namespace
    /// (`vuln/GHSA-…`, `sarif/<tool>/<rule>`); `rules explain` falls back to this rule for them.
    pub dynamic_ids: bool,
    /// The doc comment, verbatim: sections `What it finds`, `Why it matters`, `Example`,
    /// `Remediation`, `References`.
    pub docs: &'static str,
}

/// A rule id that is no longer reported: another rule, usually of the family that now owns
/// the judgement, reports the same construct. Its id and code keep working wherever a rule is
/// named (`[rules]`, `[[ignore]]`, inline comments, baselines), as an alias of the
/// replacement, with a note asking to update the name.
#[derive(Debug)]
pub struct RetiredRule {
    /// The retired id (`iac/s3-bucket-policy-public`).
    pub id: &'static str,
    /// Its code, never reused.
    pub code: &'static str,
    /// The id of the rule that reports its findings now.
    pub replaced_by: &'static str,
    /// The version that retired it.
    pub since: &'static str,
}

impl RetiredRule {
    /// Whether `name` (an id, a code or a bare name) designates this retired rule.
    pub fn is_named(&self, name: &str) -> bool {
        let name = name.trim();
        name == self.id
            || name.eq_ignore_ascii_case(self.code)
            || self
                .id
                .split_once('/')
                .is_some_and(|(_, bare)| bare == name)
    }

    /// The family its id belongs to (by its namespace).
    pub fn family(&self) -> Option<Family> {
        let namespace = self.id.split('/').next()?;
        Family::ALL
            .into_iter()
            .find(|f| f.rule_namespace() == namespace)
    }

    /// The page of `docs/rules/` that the old id's links land on.
    pub fn render_page(&self) -> String {
        format!(
            "# {id} ({code}): retired\n\nRetired in {since}. [`{new}`](../{new}.md) reports its findings now; the old id and code still work as aliases of it in `jobzero.toml`, inline comments and baselines, with a note asking for the new name.\n",
            id = self.id,
            code = self.code,
            since = self.since,
            new = self.replaced_by,
        )
    }

    /// The note shown when a configuration, comment or baseline still names it.
    pub fn note(&self) -> String {
        format!(
            "`{}` ({}) was retired in {}: `{}` reports its findings now and the old name applies to them; write the new name",
            self.id, self.code, self.since, self.replaced_by
        )
    }
}

/// The documentation sections every rule's doc comment has, in this order.
pub const DOC_SECTIONS: [&str; 5] = [
    "What it finds",
    "Why it matters",
    "Example",
    "Remediation",
    "References",
];

impl RuleMeta {
    /// The rule's name without its family namespace (`s3-bucket-public-read`).
    pub fn name(&self) -> &'static str {
        self.id.split_once('/').map_or(self.id, |(_, name)| name)
    }

    /// The doc comment with rustdoc's leading space removed from every line.
    pub fn docs_markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_owned() + "\n"
    }

    /// The body of one `## Section` of the docs, trimmed; `None` when the section is missing.
    pub fn doc_section(&self, name: &str) -> Option<String> {
        let docs = self.docs_markdown();
        let heading = format!("## {name}");
        let mut lines = docs.lines().skip_while(|l| l.trim() != heading);
        lines.next()?;
        let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
        let body = body.join("\n").trim().to_owned();
        (!body.is_empty()).then_some(body)
    }

    /// A section with the lines of each prose paragraph joined, for one-line displays such as
    /// a finding's `remediation`; code blocks and lists keep their lines.
    pub fn doc_section_unwrapped(&self, name: &str) -> Option<String> {
        let section = self.doc_section(name)?;
        let paragraphs: Vec<String> = section
            .split("\n\n")
            .map(|p| {
                let p = p.trim();
                if p.starts_with("```") || p.starts_with("- ") || p.starts_with('|') {
                    p.to_owned()
                } else {
                    p.lines().map(str::trim).collect::<Vec<_>>().join(" ")
                }
            })
            .collect();
        Some(paragraphs.join("\n\n"))
    }

    /// The references listed in the `References` section: every markdown list item, with a
    /// link reduced to its target.
    pub fn references(&self) -> Vec<String> {
        let Some(section) = self.doc_section("References") else {
            return Vec::new();
        };
        section
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- "))
            .map(|item| {
                // `[text](url)` → url; anything else as written.
                match (item.find("]("), item.rfind(')')) {
                    (Some(open), Some(close)) if close > open + 2 => {
                        item[open + 2..close].to_owned()
                    }
                    _ => item.trim_matches('`').to_owned(),
                }
            })
            .collect()
    }

    /// The full page for `jobzero rules explain` and `docs/rules/`.
    pub fn render_page(&self) -> String {
        format!(
            "# {id} ({code})\n\n{title}\n\n| | |\n|---|---|\n| family | {family} |\n| default severity | {severity} |\n| confidence | {confidence} |\n| expectation | {exp} — {exp_title} |\n\n{docs}",
            id = self.id,
            code = self.code,
            title = self.title,
            family = self.family,
            severity = self.severity,
            confidence = self.confidence,
            exp = self.expectation.id,
            exp_title = self.expectation.title,
            docs = self.docs_markdown(),
        )
    }
}

/// Declares a rule: its doc comment becomes [`RuleMeta::docs`].
///
/// ```
/// use jobzero_core::{declare_rule, expectation, Confidence, Family, Severity};
///
/// declare_rule! {
///     /// ## What it finds
///     /// An example.
///     pub static EXAMPLE = {
///         id: "sarif/example",
///         code: "SARIF999",
///         title: "an example rule",
///         family: Family::Sarif,
///         severity: Severity::Low,
///         confidence: Confidence::High,
///         expectation: &expectation::CODE_ANALYSIS,
///     }
/// }
/// assert!(EXAMPLE.docs.contains("What it finds"));
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $name:ident = {
            id: $id:literal,
            code: $code:literal,
            title: $title:literal,
            family: $family:expr,
            severity: $severity:expr,
            confidence: $confidence:expr,
            expectation: $expectation:expr
            $(, dynamic_ids: $dynamic:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis static $name: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
            id: $id,
            code: $code,
            title: $title,
            family: $family,
            severity: $severity,
            confidence: $confidence,
            expectation: $expectation,
            dynamic_ids: false $(|| $dynamic)?,
            docs: concat!($($doc, "\n"),*),
        };
    };
}

//! Suppression that stays visible: inline comments, `[[ignore]]` entries and baselines.
//!
//! A suppressed finding is never dropped silently: every output counts suppressions by
//! reason, so a reviewer sees how much is being waved through and why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::config::IgnoreEntry;
use crate::finding::Finding;
use crate::rule::{RetiredRule, RuleMeta};

/// Why a finding was suppressed. The names are the keys of `suppressed` in every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionReason {
    /// A `jobzero: ignore[rule]` comment on the line or the line above.
    Inline,
    /// An `[[ignore]]` entry of `jobzero.toml`.
    Config,
    /// The fingerprint is in the `--baseline` file.
    Baseline,
    /// The rule is switched off in `[rules] disable`.
    RuleDisabled,
    /// The tool that produced an ingested SARIF result marked it suppressed.
    Tool,
    /// The family that owns the finding's expectation reported the same construct (a
    /// literal credential an IaC rule also saw): one construct, one finding.
    Duplicate,
}

impl SuppressionReason {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionReason::Inline => "inline",
            SuppressionReason::Config => "config",
            SuppressionReason::Baseline => "baseline",
            SuppressionReason::RuleDisabled => "rule-disabled",
            SuppressionReason::Tool => "tool",
            SuppressionReason::Duplicate => "duplicate",
        }
    }
}

/// Suppressed findings counted by reason; reasons with no finding are absent.
pub type SuppressedCounts = BTreeMap<SuppressionReason, usize>;

const MARKER: &str = "jobzero: ignore[";
const COMMENT_OPENERS: [&str; 6] = ["#", "//", "--", "/*", "<!--", ";"];

/// The rule names listed by a `jobzero: ignore[...]` comment on `line`, if it has one.
pub fn inline_ignores(line: &str) -> Option<Vec<&str>> {
    let at = line.find(MARKER)?;
    let before = &line[..at];
    if !COMMENT_OPENERS.iter().any(|c| before.contains(c)) {
        return None;
    }
    let rest = &line[at + MARKER.len()..];
    let list = &rest[..rest.find(']')?];
    Some(
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// Whether `name` (an id, a code or a bare rule name) designates the finding's rule.
pub fn names_rule(name: &str, finding: &Finding) -> bool {
    name == finding.rule
        || name.eq_ignore_ascii_case(&finding.code)
        || finding
            .rule
            .split_once('/')
            .is_some_and(|(_, bare)| bare == name)
        || name
            .strip_suffix("/*")
            .is_some_and(|prefix| finding.rule.starts_with(&format!("{prefix}/")))
}

/// Other names of rules: the id and bare name of rules whose findings carry dynamic ids
/// (`sarif/ingested-vulnerability` carries `sarif/trivy/CVE-…`) map to their code, so that
/// configuration and comments may name the carrier rule; a retired rule's id and code name
/// its replacement's findings. Which retired names were used is kept for a note.
#[derive(Debug, Default)]
pub struct RuleAliases {
    carriers: BTreeMap<String, String>,
    retired: Vec<&'static RetiredRule>,
    used: Mutex<BTreeSet<&'static str>>,
}

impl RuleAliases {
    /// The aliases of these rules.
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a RuleMeta>) -> RuleAliases {
        let mut carriers = BTreeMap::new();
        for r in rules.into_iter().filter(|r| r.dynamic_ids) {
            carriers.insert(r.id.to_owned(), r.code.to_owned());
            carriers.insert(r.name().to_owned(), r.code.to_owned());
        }
        RuleAliases {
            carriers,
            ..RuleAliases::default()
        }
    }

    /// Adds retired rules as aliases of their replacements.
    #[must_use]
    pub fn with_retired(mut self, retired: impl IntoIterator<Item = &'static RetiredRule>) -> Self {
        self.retired.extend(retired);
        self
    }

    /// Whether `name` designates the finding's rule: [`names_rule`], the name of the rule
    /// that carries the finding's dynamic id, or a retired rule the finding's rule replaces.
    pub fn names(&self, name: &str, finding: &Finding) -> bool {
        if names_rule(name, finding)
            || self
                .carriers
                .get(name)
                .is_some_and(|code| *code == finding.code)
        {
            return true;
        }
        let retired = self
            .retired
            .iter()
            .find(|r| r.replaced_by == finding.rule && r.is_named(name));
        if let Some(r) = retired {
            if let Ok(mut used) = self.used.lock() {
                used.insert(r.id);
            }
            return true;
        }
        false
    }

    /// The notes for the retired names that suppressed a finding, in id order.
    pub fn notes(&self) -> Vec<String> {
        let used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        self.retired
            .iter()
            .filter(|r| used.contains(r.id))
            .map(|r| r.note())
            .collect()
    }

    /// Whether `name` names the finding's rule only as a retired rule it replaces.
    pub fn names_as_retired(&self, name: &str, finding: &Finding) -> bool {
        !names_rule(name, finding)
            && self.retired.iter().any(|r| r.is_named(name))
            && self.names(name, finding)
    }
}

/// Whether the finding is suppressed by a comment on its line or the line above, in `text`
/// (the file's contents).
pub fn is_inline_suppressed(finding: &Finding, text: &str, aliases: &RuleAliases) -> bool {
    let line = finding.location.start_line as usize;
    if line == 0 {
        return false;
    }
    text.lines()
        .skip(line.saturating_sub(2))
        .take(if line == 1 { 1 } else { 2 })
        .filter_map(inline_ignores)
        .any(|names| names.iter().any(|n| aliases.names(n, finding)))
}

/// A glob in `[[ignore]]` or `exclude` that does not parse.
#[derive(Debug, thiserror::Error)]
#[error("invalid glob `{glob}`: {source}")]
pub struct GlobError {
    /// The glob as written.
    pub glob: String,
    /// Why it is invalid.
    pub source: globset::Error,
}

/// Compiles path globs. A glob without `/` matches at any depth, like `.gitignore`.
pub fn glob_set(globs: &[String]) -> Result<GlobSet, GlobError> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let pattern = if glob.contains('/') {
            glob.trim_start_matches("./").to_owned()
        } else {
            format!("**/{glob}")
        };
        for p in [
            pattern.clone(),
            format!("{}/**", pattern.trim_end_matches('/')),
        ] {
            // `*` stops at `/`, as in .gitignore: `src/*.py` does not reach `src/a/b.py`.
            let compiled = GlobBuilder::new(&p)
                .literal_separator(true)
                .build()
                .map_err(|source| GlobError {
                    glob: glob.clone(),
                    source,
                })?;
            builder.add(compiled);
        }
    }
    builder.build().map_err(|source| GlobError {
        glob: globs.join(", "),
        source,
    })
}

/// The `[[ignore]]` entries, compiled.
#[derive(Debug, Default)]
pub struct ConfigIgnores {
    entries: Vec<(Option<String>, Option<GlobSet>)>,
    /// The scanned directory relative to the configuration file's directory: globs match
    /// finding paths as they are and with this prefix.
    pub base: Option<String>,
}

impl ConfigIgnores {
    /// Compiles the entries' globs.
    pub fn new(entries: &[IgnoreEntry]) -> Result<ConfigIgnores, GlobError> {
        let entries = entries
            .iter()
            .map(|e| {
                let globs = if e.paths.is_empty() {
                    None
                } else {
                    Some(glob_set(&e.paths)?)
                };
                Ok((e.rule.clone(), globs))
            })
            .collect::<Result<_, GlobError>>()?;
        Ok(ConfigIgnores {
            entries,
            base: None,
        })
    }

    /// Whether an entry suppresses the finding.
    pub fn matches(&self, finding: &Finding, aliases: &RuleAliases) -> bool {
        self.entries.iter().any(|(rule, globs)| {
            rule.as_deref().is_none_or(|r| aliases.names(r, finding))
                && globs.as_ref().is_none_or(|g| {
                    g.is_match(&finding.location.path)
                        || self
                            .base
                            .as_ref()
                            .is_some_and(|b| g.is_match(format!("{b}/{}", finding.location.path)))
                })
        })
    }
}

/// The version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline: the fingerprints of findings accepted as they are, written by
/// `--write-baseline` and read by `--baseline`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version.
    pub baseline_version: u32,
    /// One entry per finding, sorted by fingerprint.
    pub findings: Vec<BaselineEntry>,
}

/// One baselined finding. Rule and path are there for humans reviewing the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The finding's fingerprint: the only field used for matching.
    pub fingerprint: String,
    /// Rule id.
    pub rule: String,
    /// Path.
    pub path: String,
}

/// A baseline file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Unreadable or unwritable.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not a baseline.
    #[error("{path}:{line}:{column}: not a jobzero baseline: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl Baseline {
    /// The baseline of these findings (suppressed ones included, so that writing a baseline
    /// over a baseline keeps it whole).
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Baseline {
        let set: BTreeSet<BaselineEntry> = findings
            .into_iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule: f.rule.clone(),
                path: f.location.path.clone(),
            })
            .collect();
        Baseline {
            baseline_version: BASELINE_VERSION,
            findings: set.into_iter().collect(),
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
    }

    /// Writes the baseline as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        std::fs::write(path, text).map_err(|source| BaselineError::Io {
            path: path.to_owned(),
            source,
        })
    }

    /// The fingerprints, for lookups.
    pub fn fingerprints(&self) -> BTreeSet<&str> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markers_in_every_comment_syntax() {
        for line in [
            "key = 1 # jobzero: ignore[secret/x]",
            "// jobzero: ignore[secret/x]",
            "-- jobzero: ignore[secret/x]",
            "/* jobzero: ignore[secret/x] */",
            "<!-- jobzero: ignore[secret/x] -->",
            "; jobzero: ignore[secret/x]",
        ] {
            assert_eq!(inline_ignores(line), Some(vec!["secret/x"]), "{line}");
        }
        assert_eq!(
            inline_ignores("# jobzero: ignore[a, SEC002 ,]"),
            Some(vec!["a", "SEC002"])
        );
        // Not in a comment: a string value that mentions the marker does not suppress.
        assert_eq!(inline_ignores("x = 'jobzero: ignore[a]'"), None);
        assert_eq!(inline_ignores("# jobzero: ignore[a"), None);
    }

    #[test]
    fn globs_match_like_gitignore() {
        let g = glob_set(&["vendor".into(), "tests/fixtures/**".into()]).unwrap();
        assert!(g.is_match("vendor/a.js"));
        assert!(g.is_match("x/vendor/a.js"));
        assert!(g.is_match("tests/fixtures/a/b.json"));
        assert!(!g.is_match("src/tests/fixtures/a.json"));
        let g = glob_set(&["src/*.py".into()]).unwrap();
        assert!(g.is_match("src/a.py"));
        assert!(!g.is_match("src/a/b.py"), "`*` stops at `/`");
        assert!(glob_set(&["a[".into()]).is_err());
    }
}

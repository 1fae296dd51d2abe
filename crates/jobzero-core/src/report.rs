//! The report of a scan: the JSON document of `--format json`, and the input of every other
//! output format and of `jobzero upload`.

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Target};
use crate::inventory::InventoryItem;
use crate::rule::Family;
use crate::severity::Severity;
use crate::suppress::{SuppressedCounts, SuppressionReason};

/// The version of the JSON report schema (`docs/report.schema.json`). Minor versions add
/// fields; a major version removes or changes one.
pub const SCHEMA_VERSION: &str = "1.4.0";

/// A file that could not be read or parsed; the scan went on without it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScanError {
    /// The file, as findings name it.
    pub path: String,
    /// 1-based line, when the parser knows it.
    pub line: Option<u32>,
    /// What went wrong.
    pub message: String,
}

impl ScanError {
    /// A new error.
    pub fn new(path: impl Into<String>, line: Option<u32>, message: impl Into<String>) -> Self {
        ScanError {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The tool that wrote the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// Always `jobzero`.
    pub name: String,
    /// The jobzero version.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: "jobzero".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// Findings counted by effective severity; every severity is present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    /// Critical.
    pub critical: usize,
    /// High.
    pub high: usize,
    /// Medium.
    pub medium: usize,
    /// Low.
    pub low: usize,
    /// Info.
    pub info: usize,
}

impl SeverityCounts {
    /// Counts one finding of `severity`.
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }

    /// The count of one severity.
    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }
}

/// Files not scanned, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFiles {
    /// Binary files (a NUL byte in the first 8 KiB).
    pub binary: usize,
    /// Files over the size limit.
    pub too_large: usize,
}

/// Totals of a scan. Every field may be left out of a report read back (a hand-written
/// upload), and then counts nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// Findings reported (suppressed ones excluded).
    pub findings: usize,
    /// Reported findings by effective severity.
    pub by_severity: SeverityCounts,
    /// Files read by at least one scanner.
    pub files_scanned: usize,
    /// Files not scanned, by reason.
    pub files_skipped: SkippedFiles,
    /// Families that ran.
    pub families: Vec<Family>,
}

/// The result of a scan: what `--format json` writes, what `jobzero upload` sends and what the
/// hub ingests. Read back, only `findings` is required: reports of earlier versions, and
/// reports other tools write to the documented schema, are accepted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    #[serde(default)]
    pub schema_version: String,
    /// The tool that wrote the report.
    #[serde(default)]
    pub tool: Tool,
    /// What was scanned.
    #[serde(default, skip_serializing_if = "Target::is_empty")]
    pub target: Target,
    /// Findings, sorted by path, line, column, rule and fingerprint.
    pub findings: Vec<Finding>,
    /// Suppressed findings counted by reason.
    #[serde(default)]
    pub suppressed: SuppressedCounts,
    /// Files that could not be read or parsed; the scan went on.
    #[serde(default)]
    pub errors: Vec<ScanError>,
    /// Totals.
    #[serde(default)]
    pub summary: Summary,
    /// Every package of every lockfile the deps family read, sorted by lockfile, ecosystem,
    /// name and version (since 1.2.0; absent when the family did not run or found none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inventory: Vec<InventoryItem>,
    /// Notes for the user (a retired rule name still in use). Not serialised.
    #[serde(skip)]
    pub notes: Vec<String>,
    /// The suppressed findings themselves, kept in memory so that `--write-baseline` keeps
    /// what an earlier baseline already accepted. Not serialised.
    #[serde(skip)]
    pub suppressed_findings: Vec<(Finding, SuppressionReason)>,
}

impl Report {
    /// The highest effective severity reported, if any finding is.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.effective_severity).max()
    }

    /// Recomputes `summary.findings`, `summary.by_severity` and `suppressed` from the lists.
    pub fn recount(&mut self) {
        let mut counts = SeverityCounts::default();
        for f in &self.findings {
            counts.add(f.effective_severity);
        }
        self.summary.findings = self.findings.len();
        self.summary.by_severity = counts;
        let mut suppressed = SuppressedCounts::new();
        for (_, reason) in &self.suppressed_findings {
            *suppressed.entry(*reason).or_insert(0) += 1;
        }
        self.suppressed = suppressed;
    }
}

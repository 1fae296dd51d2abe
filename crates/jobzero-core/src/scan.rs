//! The scan engine: walks the paths once, hands each file to the scanners that want it, in
//! parallel, then applies the policy (disabled rules, severity overrides, suppressions,
//! context) and sorts everything.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use crate::check::{Fix, Sink};
use crate::config::{Config, ServiceConfig};
use crate::context;
use crate::finding::{Finding, Target, disambiguate_fingerprints};
use crate::inventory::InventoryItem;
use crate::redact::{Redactor, SecretSpotter};
use crate::report::{Report, SCHEMA_VERSION, ScanError, Summary, Tool};
use crate::rule::{Family, RetiredRule, RuleMeta};
use crate::severity::Severity;
use crate::suppress::{
    Baseline, ConfigIgnores, GlobError, RuleAliases, SuppressionReason, is_inline_suppressed,
};
use crate::walk::{self, WalkOptions, WalkedFile};

/// A file handed to a scanner.
#[derive(Debug)]
pub struct SourceFile<'a> {
    /// The path findings must use.
    pub path: &'a str,
    /// The raw contents.
    pub bytes: &'a [u8],
    /// Where the file is on disk, when it is a file of the tree (not a blob of the history):
    /// for formats that refer to other files, such as a POM's local parent.
    pub disk_path: Option<&'a std::path::Path>,
}

impl SourceFile<'_> {
    /// The contents as text (invalid UTF-8 replaced; a leading byte-order mark removed).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(without_bom(self.bytes))
    }
}

/// `bytes` without a leading UTF-8 byte-order mark (editors on Windows write one; no parser
/// wants it).
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// What a scanner produced for one file.
#[derive(Debug, Default)]
pub struct FileOutput {
    /// Findings.
    pub findings: Vec<Finding>,
    /// Findings the producing tool itself marked suppressed (ingested results).
    pub tool_suppressed: Vec<Finding>,
    /// Parts of the file that could not be read or parsed.
    pub errors: Vec<ScanError>,
    /// Secret values found in the file: redacted wherever they appear in the report, in any
    /// family's finding.
    pub secrets: Vec<String>,
    /// Packages the file declares or locks: the report's inventory.
    pub packages: Vec<InventoryItem>,
}

impl FileOutput {
    /// Takes the findings and errors of a family's [`Sink`] (its fixes are for `--fix` and
    /// editors, not the report).
    pub fn extend(&mut self, sink: Sink) {
        self.findings.extend(sink.findings);
        self.errors.extend(sink.errors);
    }
}

/// What a scanner found in a repository's history (findings, and blobs it could not read),
/// or why the history could not be read at all.
pub type HistoryResult = Result<(Vec<Finding>, Vec<ScanError>), String>;

/// A scanner family. Implemented by each family crate; the engine knows nothing else of it.
pub trait Scanner: Send + Sync {
    /// The family.
    fn family(&self) -> Family;

    /// The family's rules, in registration order.
    fn rules(&self) -> Vec<&'static RuleMeta>;

    /// Whether the scanner wants to read the file at `path` (the display path). Cheap: it
    /// decides from the name, before the file is read.
    fn wants(&self, path: &str) -> bool;

    /// Scans one file.
    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput);

    /// Warnings to show once after a scan (optional data missing, for example).
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }

    /// Rule ids this family retired or took over from another family: they stay aliases of
    /// their replacements.
    fn retired(&self) -> &'static [RetiredRule] {
        &[]
    }

    /// Whether the scanner proposes safe fixes, so that `--fix` reads the files it wants.
    fn has_fixes(&self) -> bool {
        false
    }

    /// The safe fixes of one file, or `None` when the file cannot be parsed (a fix must
    /// never leave a file that no longer parses).
    fn fixes(&self, file: &SourceFile<'_>) -> Option<Vec<Fix>> {
        let _ = file;
        Some(Vec::new())
    }

    /// Findings in the history of the repository at or above `root` (blobs up to
    /// `max_blob_size` bytes), for scanners that read history; `Err` when the history cannot
    /// be read at all.
    fn history(&self, root: &std::path::Path, max_blob_size: u64) -> Option<HistoryResult> {
        let _ = (root, max_blob_size);
        None
    }
}

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct ScanRequest {
    /// Directories or files. Paths in findings are relative to a directory when it is the
    /// only one; with several, each path starts with its root as given.
    pub roots: Vec<PathBuf>,
    /// Files handed to one family whatever their name (`--sarif FILE`).
    pub forced: Vec<(PathBuf, Family)>,
    /// Files never scanned (the report being written with `-o`).
    pub skip: Vec<PathBuf>,
    /// Findings from outside the walk (a repository's history). One with the fingerprint of
    /// a working-tree finding is merged into it (its `introduced` kept), so that a secret
    /// still present and also in history is one finding.
    pub extra: Vec<Finding>,
    /// Errors from outside the walk.
    pub extra_errors: Vec<ScanError>,
    /// Families to run.
    pub families: BTreeSet<Family>,
    /// Walker settings.
    pub walk: WalkOptions,
    /// Show a progress bar on stderr when the scan takes more than a second.
    pub progress: bool,
    /// Recognises secrets in the text of every finding and error, whichever family wrote
    /// it (the secrets family's detectors, whether or not that family runs).
    pub spotter: Option<&'static dyn SecretSpotter>,
    /// Retired rule ids of every family linked in (not only those that run): names that
    /// suppressions may still use.
    pub retired: Vec<&'static RetiredRule>,
    /// Texts that stand in for files on disk (an editor's unsaved buffers, a commit's blobs),
    /// by the path as given in `roots`. A root found here is scanned even if it is not on disk.
    pub contents: Contents,
    /// How findings name each root (by index in `roots`) instead of the path given: the scan
    /// of a copy of a tree (a commit's files in a temporary directory) or of one file of a
    /// workspace names files as the original tree does.
    pub labels: Vec<String>,
}

/// Texts standing in for files on disk, by path.
pub type Contents = std::sync::Arc<BTreeMap<PathBuf, Vec<u8>>>;

/// The settings applied to raw findings.
#[derive(Debug, Default)]
pub struct Policy {
    /// Rule ids or codes switched off.
    pub disabled: Vec<String>,
    /// New base severities by rule id or code.
    pub severity: BTreeMap<String, Severity>,
    /// `[[ignore]]` entries.
    pub ignores: ConfigIgnores,
    /// Fingerprints accepted by `--baseline`.
    pub baseline: BTreeSet<String>,
    /// The rules of the baseline's entries by path: an entry of a retired rule accepts the
    /// findings of its replacement at the same path (their fingerprints differ).
    pub baseline_rules: BTreeMap<String, BTreeSet<String>>,
    /// The service's context.
    pub service: ServiceConfig,
    /// Stamped on every finding.
    pub target: Target,
}

impl Policy {
    /// The policy of a configuration file, with an optional baseline.
    pub fn from_config(config: &Config, baseline: Option<&Baseline>) -> Result<Policy, GlobError> {
        Ok(Policy {
            disabled: config.rules.disable.clone(),
            severity: config.rules.severity.clone(),
            ignores: ConfigIgnores::new(&config.ignore)?,
            baseline: baseline
                .map(|b| b.fingerprints().into_iter().map(str::to_owned).collect())
                .unwrap_or_default(),
            baseline_rules: baseline
                .map(|b| {
                    let mut by_path: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
                    for e in &b.findings {
                        by_path
                            .entry(e.path.clone())
                            .or_default()
                            .insert(e.rule.clone());
                    }
                    by_path
                })
                .unwrap_or_default(),
            target: Target {
                service: config.service.name.clone(),
                repository: config.service.repository.clone(),
                ..Target::default()
            },
            service: config.service.clone(),
        })
    }

    /// Decides the fate of one finding: kept with adjusted severity (no reason), or
    /// suppressed for the reason returned.
    fn apply(
        &self,
        mut finding: Finding,
        aliases: &RuleAliases,
    ) -> (Finding, Option<SuppressionReason>) {
        finding.target = self.target.clone();
        if self.disabled.iter().any(|r| aliases.names(r, &finding)) {
            return (finding, Some(SuppressionReason::RuleDisabled));
        }
        if let Some((_, severity)) = self
            .severity
            .iter()
            .find(|(r, _)| aliases.names(r, &finding))
        {
            finding.override_severity(*severity);
        }
        context::apply(&mut finding, &self.service);
        if self.ignores.matches(&finding, aliases) {
            return (finding, Some(SuppressionReason::Config));
        }
        let by_retired_rule = || {
            self.baseline_rules
                .get(&finding.location.path)
                .is_some_and(|rules| rules.iter().any(|r| aliases.names_as_retired(r, &finding)))
        };
        if self.baseline.contains(&finding.fingerprint) || by_retired_rule() {
            return (finding, Some(SuppressionReason::Baseline));
        }
        (finding, None)
    }
}

struct FileResult {
    findings: Vec<Finding>,
    /// Findings about another file than the one scanned (ingested results): their inline
    /// suppressions are looked up in that file after the scan.
    foreign: Vec<Finding>,
    suppressed: Vec<(Finding, SuppressionReason)>,
    errors: Vec<ScanError>,
    secrets: Vec<String>,
    packages: Vec<InventoryItem>,
    scanned: bool,
    binary: bool,
}

/// Bytes looked at to tell a binary file from a text file, as git does.
const BINARY_SNIFF: usize = 8000;

/// A file to scan and how it was asked for.
struct Job {
    file: WalkedFile,
    /// Handed to this family whatever its name (`--sarif FILE`).
    forced: Option<Family>,
    /// Named on the command line: a skip is an error, not a statistic.
    explicit: bool,
    /// The request's stand-in texts.
    contents: Contents,
}

/// The contents as UTF-8 when the file starts with a UTF-16 byte-order mark (PowerShell's
/// `>` writes UTF-16LE), so that such files are read rather than taken for binary.
fn decode_utf16(bytes: &[u8]) -> Option<Vec<u8>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| {
            let pair = [c[0], c[1]];
            if little {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        })
        .collect();
    Some(String::from_utf16_lossy(&units).into_bytes())
}

fn scan_one(job: &Job, scanners: &[&dyn Scanner], aliases: &RuleAliases) -> FileResult {
    let file = &job.file;
    let mut result = FileResult {
        findings: Vec::new(),
        foreign: Vec::new(),
        suppressed: Vec::new(),
        errors: Vec::new(),
        secrets: Vec::new(),
        packages: Vec::new(),
        scanned: false,
        binary: false,
    };
    let wanted: Vec<&dyn Scanner> = scanners
        .iter()
        .copied()
        .filter(|s| {
            job.forced
                .map_or_else(|| s.wants(&file.display), |f| s.family() == f)
        })
        .collect();
    if wanted.is_empty() {
        return result;
    }
    let read = match job.contents.get(&file.path) {
        Some(b) => Ok(b.clone()),
        None => std::fs::read(&file.path),
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            result.errors.push(ScanError::new(
                &file.display,
                None,
                format!("cannot read: {e}"),
            ));
            return result;
        }
    };
    let bytes = decode_utf16(&bytes).unwrap_or(bytes);
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        if job.explicit {
            result.errors.push(ScanError::new(
                &file.display,
                None,
                "binary file (a NUL byte in the first 8000 bytes): not scanned",
            ));
        } else {
            result.binary = true;
        }
        return result;
    }
    result.scanned = true;
    let source = SourceFile {
        path: &file.display,
        bytes: &bytes,
        disk_path: Some(&file.path),
    };
    let mut out = FileOutput::default();
    for scanner in wanted {
        scanner.scan_file(&source, &mut out);
    }
    let text = source.text();
    for mut finding in out.findings {
        if finding.location.path != file.display {
            result.foreign.push(finding);
        } else if is_inline_suppressed(&finding, &text, aliases) {
            result.suppressed.push((finding, SuppressionReason::Inline));
        } else {
            fill_snippet(&mut finding, &text);
            result.findings.push(finding);
        }
    }
    result.suppressed.extend(
        out.tool_suppressed
            .into_iter()
            .map(|f| (f, SuppressionReason::Tool)),
    );
    result.errors = out.errors;
    result.secrets = out.secrets;
    result.packages = out.packages;
    result
}

fn canonical(path: &std::path::Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// Runs the scanners of the requested families over the request's paths.
pub fn run(scanners: &[&dyn Scanner], request: &ScanRequest, policy: &Policy) -> Report {
    let scanners: Vec<&dyn Scanner> = scanners
        .iter()
        .copied()
        .filter(|s| request.families.contains(&s.family()))
        .collect();
    let aliases = RuleAliases::new(scanners.iter().flat_map(|s| s.rules()))
        .with_retired(request.retired.iter().copied());
    let started = Instant::now();
    let progress = crate::progress::Progress::new(request.progress, started);

    let mut jobs: Vec<Job> = Vec::new();
    let mut errors = Vec::new();
    let mut summary = Summary {
        families: request.families.iter().copied().collect(),
        ..Summary::default()
    };
    let skip: BTreeSet<PathBuf> = request.skip.iter().map(|p| canonical(p)).collect();
    let forced: BTreeMap<PathBuf, Family> = request
        .forced
        .iter()
        .filter(|(_, family)| request.families.contains(family))
        .map(|(path, family)| (canonical(path), *family))
        .collect();
    let several = request.roots.len() > 1;
    let mut add =
        |w: walk::Walk, forced_family: Option<Family>, explicit: bool, jobs: &mut Vec<Job>| {
            errors.extend(w.errors);
            summary.files_skipped.too_large += w.skips.too_large;
            for file in w.files {
                jobs.push(Job {
                    file,
                    forced: forced_family,
                    explicit,
                    contents: request.contents.clone(),
                });
            }
        };
    for (i, root) in request.roots.iter().enumerate() {
        let label = request.labels.get(i);
        let in_contents = request.contents.contains_key(root);
        let is_file = in_contents || root.is_file();
        let prefix = match label {
            // A file's label is its whole name; a directory's is a prefix only among several.
            Some(l) if is_file || several => Some(l.trim_end_matches('/').to_owned()),
            Some(_) => None,
            None => several.then(|| walk::slash_path(root).trim_end_matches('/').to_owned()),
        }
        .filter(|p| !p.is_empty() && p != ".");
        let w = if in_contents && !root.is_file() {
            // An unsaved buffer: no file on disk to walk.
            walk::Walk {
                files: vec![walk::WalkedFile {
                    display: prefix.clone().unwrap_or_else(|| walk::slash_path(root)),
                    path: root.clone(),
                    size: request.contents.get(root).map_or(0, |b| b.len() as u64),
                }],
                ..walk::Walk::default()
            }
        } else {
            walk::walk(root, prefix.as_deref(), &request.walk)
        };
        add(w, None, is_file, &mut jobs);
        progress.walked(jobs.len());
    }
    // A file both walked and forced is scanned once, as forced; the report being written
    // (`-o`) is never read back.
    let mut seen = BTreeSet::new();
    jobs.retain_mut(|job| {
        let path = canonical(&job.file.path);
        if skip.contains(&path) {
            return false;
        }
        if let Some(family) = forced.get(&path) {
            job.forced = Some(*family);
            job.explicit = true;
        }
        seen.insert(path)
    });
    for (path, family) in &request.forced {
        if request.families.contains(family) && !seen.contains(&canonical(path)) {
            add(
                walk::walk(path, None, &request.walk),
                Some(*family),
                true,
                &mut jobs,
            );
        }
    }
    progress.start_files(jobs.len() as u64);

    let results: Vec<FileResult> = jobs
        .par_iter()
        .map(|job| {
            let r = scan_one(job, &scanners, &aliases);
            progress.file_done();
            r
        })
        .collect();
    progress.finish();

    let mut findings = Vec::new();
    let mut suppressed = Vec::new();
    let mut foreign = Vec::new();
    let mut secrets = Vec::new();
    let mut inventory = Vec::new();
    for r in results {
        summary.files_scanned += usize::from(r.scanned);
        summary.files_skipped.binary += usize::from(r.binary);
        findings.extend(r.findings);
        foreign.extend(r.foreign);
        suppressed.extend(r.suppressed);
        errors.extend(r.errors);
        secrets.extend(r.secrets);
        inventory.extend(r.packages);
    }
    inventory.sort_by(|a: &InventoryItem, b| a.sort_key().cmp(&b.sort_key()));
    let (kept, inline) = inline_suppress_foreign(foreign, &jobs, &aliases);
    findings.extend(kept);
    merge_extra(&mut findings, &request.extra);
    errors.extend(request.extra_errors.iter().cloned());
    suppressed.extend(inline.into_iter().map(|f| (f, SuppressionReason::Inline)));
    let redactor = Redactor::new(secrets, request.spotter);
    findings.par_iter_mut().for_each(|f| redactor.finding(f));
    suppressed
        .par_iter_mut()
        .for_each(|(f, _)| redactor.finding(f));
    for e in &mut errors {
        if let Cow::Owned(m) = redactor.text(&e.path, &e.message) {
            e.message = m;
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // One construct found twice: the code family reports a sink in an imported file from
    // every file whose call reaches it the same way.
    findings.dedup_by(|a, b| {
        a.fingerprint == b.fingerprint
            && a.rule == b.rule
            && a.location.path == b.location.path
            && a.location.start_line == b.location.start_line
            && a.location.start_column == b.location.start_column
    });
    disambiguate_fingerprints(&mut findings);

    let mut kept = Vec::with_capacity(findings.len());
    for finding in findings {
        match policy.apply(finding, &aliases) {
            (f, None) => kept.push(f),
            (f, Some(reason)) => suppressed.push((f, reason)),
        }
    }
    let kept = drop_duplicates(kept, &mut suppressed);
    suppressed.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    errors.sort();
    errors.dedup();

    let mut report = Report {
        schema_version: SCHEMA_VERSION.to_owned(),
        tool: Tool::default(),
        target: policy.target.clone(),
        findings: kept,
        suppressed: BTreeMap::new(),
        errors,
        summary,
        inventory,
        notes: Vec::new(),
        suppressed_findings: suppressed,
    };
    report.notes = aliases.notes();
    report.recount();
    report
}

/// Findings of other families on a line where the family that owns their expectation
/// reported one too (see [`crate::rule::expectation_owner`]) move to `suppressed` as duplicates.
fn drop_duplicates(
    findings: Vec<Finding>,
    suppressed: &mut Vec<(Finding, SuppressionReason)>,
) -> Vec<Finding> {
    let owned: BTreeSet<(String, u32, String)> = findings
        .iter()
        .filter(|f| {
            f.location.start_line > 0
                && crate::rule::expectation_owner(&f.expectation) == Some(f.family)
        })
        .map(|f| {
            (
                f.location.path.clone(),
                f.location.start_line,
                f.expectation.clone(),
            )
        })
        .collect();
    if owned.is_empty() {
        return findings;
    }
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let key = (
            f.location.path.clone(),
            f.location.start_line,
            f.expectation.clone(),
        );
        let owner = crate::rule::expectation_owner(&f.expectation);
        if owner.is_some() && owner != Some(f.family) && owned.contains(&key) {
            suppressed.push((f, SuppressionReason::Duplicate));
        } else {
            kept.push(f);
        }
    }
    kept
}

/// Adds findings from outside the walk, merging each into a working-tree finding with the
/// same fingerprint.
fn merge_extra(findings: &mut Vec<Finding>, extra: &[Finding]) {
    let mut by_fingerprint: BTreeMap<String, usize> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (f.fingerprint.clone(), i))
        .collect();
    for e in extra {
        match by_fingerprint.get(&e.fingerprint) {
            Some(&i) => {
                if findings[i].introduced.is_none() {
                    findings[i].introduced = e.introduced.clone();
                }
            }
            None => {
                by_fingerprint.insert(e.fingerprint.clone(), findings.len());
                findings.push(e.clone());
            }
        }
    }
}

/// Lines of a code frame taken from the source when a scanner gave no snippet.
const MAX_SNIPPET_LINES: usize = 8;

/// Gives a finding without a snippet the source lines it spans. Never for the secrets
/// family, whose snippets are redacted by the scanner and must not be refilled.
fn fill_snippet(finding: &mut Finding, text: &str) {
    let loc = &finding.location;
    if loc.snippet.is_some() || loc.start_line == 0 || finding.family == Family::Secrets {
        return;
    }
    let start = loc.start_line as usize;
    let count = (loc.end_line.max(loc.start_line) as usize - start + 1).min(MAX_SNIPPET_LINES);
    let lines: Vec<&str> = text.lines().skip(start - 1).take(count).collect();
    if !lines.is_empty() {
        finding.location.snippet = Some(lines.join("\n"));
    }
}

/// Applies `jobzero: ignore[...]` comments to findings about files other than the one they
/// were found in (an ingested SARIF result pointing into the source tree), and gives them a
/// snippet. Only files the walker listed are read: a path in someone else's report must not
/// make jobzero read `.git/config`, an excluded file or a symlink's target into its output.
fn inline_suppress_foreign(
    foreign: Vec<Finding>,
    jobs: &[Job],
    aliases: &RuleAliases,
) -> (Vec<Finding>, Vec<Finding>) {
    let walked: BTreeMap<&str, &PathBuf> = jobs
        .iter()
        .map(|j| (j.file.display.as_str(), &j.file.path))
        .collect();
    let mut by_path: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for f in foreign {
        by_path.entry(f.location.path.clone()).or_default().push(f);
    }
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for (path, group) in by_path {
        let text = walked
            .get(path.as_str())
            .and_then(|p| std::fs::read(p).ok())
            .filter(|b| !b[..b.len().min(BINARY_SNIFF)].contains(&0))
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        for mut f in group {
            match &text {
                Some(t) if is_inline_suppressed(&f, t, aliases) => suppressed.push(f),
                Some(t) => {
                    fill_snippet(&mut f, t);
                    kept.push(f);
                }
                None => kept.push(f),
            }
        }
    }
    (kept, suppressed)
}

pub use crate::progress::PROGRESS_DELAY;

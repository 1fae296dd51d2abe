//! A scan session: configuration → validated policy → scanners → report, with the history
//! of a repository and safe fixes as options. Every front end (the `scan` command, the
//! editor server, pre-commit) is flags and printing around [`run`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::check::{Fix, apply_fixes};
use crate::config::{Config, ConfigError, DEFAULT_MAX_FILE_SIZE, LoadedConfig};
use crate::finding::Finding;
use crate::redact::SecretSpotter;
use crate::registry::Registry;
use crate::report::{Report, ScanError};
use crate::rule::Family;
use crate::scan::{self, Contents, Policy, ScanRequest, Scanner, SourceFile};
use crate::suppress::{Baseline, BaselineError, glob_set};
use crate::walk::{self, WalkOptions};

/// What `--fix` does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FixMode {
    /// No fixes.
    #[default]
    Off,
    /// Compute the fixes and write the files.
    Apply,
    /// Compute the fixes, write nothing.
    Preview,
}

/// What to scan and how, beyond the configuration file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Files and directories (the current directory when empty).
    pub paths: Vec<PathBuf>,
    /// `--only`: run these families alone; asking only for families this build lacks is an
    /// error.
    pub only: Vec<Family>,
    /// `--skip`: do not run these families.
    pub skip: Vec<Family>,
    /// Suppress the findings of this baseline file.
    pub baseline: Option<PathBuf>,
    /// Suppress these findings too (`--diff BASE`: what the base revision already had).
    pub base: Option<Baseline>,
    /// Files handed to the sarif family whatever their name.
    pub sarif: Vec<PathBuf>,
    /// Files never scanned (the report being written).
    pub skip_files: Vec<PathBuf>,
    /// Service name stamped on every finding (overrides `[service] name`).
    pub service: Option<String>,
    /// Skip files larger than this (default: `[scan] max-file-size`, else 10 MiB).
    pub max_file_size: Option<u64>,
    /// Also scan the history of the repository at the first path.
    pub history: bool,
    /// Safe fixes before the scan.
    pub fix: FixMode,
    /// Show a progress bar on stderr for long scans.
    pub progress: bool,
    /// Recognises secrets in every finding's text, whichever family wrote it.
    pub spotter: Option<&'static dyn SecretSpotter>,
    /// Texts standing in for files on disk (an editor's unsaved buffers), by path as given.
    pub contents: Contents,
    /// How findings name each path of `paths` (see [`ScanRequest::labels`]).
    pub labels: Vec<String>,
    /// The paths are in a copy of a tree (a commit's files in a temporary directory): the
    /// copy's root and the original's, so that globs of `jobzero.toml` apply as in the original.
    pub copy_of: Option<(PathBuf, PathBuf)>,
}

/// A file that `--fix` changed (or would change).
#[derive(Debug, Clone)]
pub struct FixedFile {
    /// The path as findings name it.
    pub display: String,
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its text before.
    pub before: String,
    /// Its text after.
    pub after: String,
    /// The fixes applied, in order.
    pub applied: Vec<Fix>,
}

/// What a session produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The report.
    pub report: Report,
    /// Things to tell the user once (families not in this build, optional data missing).
    pub warnings: Vec<String>,
    /// The files `--fix` changed or would change.
    pub fixed: Vec<FixedFile>,
    /// The rules of the scanners the session ran with (for SARIF's rule table).
    pub registry: Registry,
}

/// Why a session could not run at all (a file that cannot be read during the scan is a
/// [`ScanError`] of the report instead).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The baseline cannot be used.
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    /// Only families this build lacks were asked for.
    #[error("--only {0}")]
    Unavailable(String),
    /// The repository's history cannot be read.
    #[error("{0}")]
    History(String),
    /// A fix cannot be written.
    #[error("cannot {what} {}: {source}", path.display())]
    Io {
        /// Read or write.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Loads `explicit`, or the nearest `jobzero.toml` above `first_path` (none: defaults).
pub fn load_config(
    explicit: Option<&Path>,
    first_path: Option<&Path>,
) -> Result<LoadedConfig, ConfigError> {
    let path = match explicit {
        Some(p) => Some(p.to_owned()),
        None => first_path.and_then(Config::discover),
    };
    match path {
        Some(p) => Config::load(&p),
        None => Ok(LoadedConfig::default()),
    }
}

/// Every rule name in the configuration must designate a rule: a typo would silently turn a
/// control off or leave a finding unsuppressed. Also checks what the other settings need
/// (a reason for every `[[ignore]]`, 12-digit account ids).
/// Returns a note for each retired rule name it still uses.
pub fn validate(loaded: &LoadedConfig, registry: &Registry) -> Result<Vec<String>, ConfigError> {
    let c = &loaded.config;
    for entry in &c.ignore {
        if entry.reason.trim().is_empty() {
            return Err(loaded.error_at(
                "reason",
                "`[[ignore]]` needs a non-empty `reason`: say why it is safe",
            ));
        }
    }
    if let Some(bad) = c
        .iam
        .accounts
        .iter()
        .find(|a| !crate::config::is_account_id(a))
    {
        return Err(loaded.error_at(
            bad,
            format!("`[iam] accounts`: `{bad}` is not a 12-digit account id"),
        ));
    }
    let names = c
        .rules
        .disable
        .iter()
        .chain(c.rules.severity.keys())
        .chain(c.ignore.iter().filter_map(|i| i.rule.as_ref()));
    let mut notes = Vec::new();
    for name in names {
        if !registry.knows(name) {
            return Err(loaded.error_at(
                name,
                format!("unknown rule `{name}` (see `jobzero rules list`)"),
            ));
        }
        if registry.find(name).is_none()
            && let Some(r) = registry.find_retired(name)
        {
            let file = loaded
                .path
                .as_deref()
                .map_or_else(|| "jobzero.toml".to_owned(), |p| p.display().to_string());
            notes.push(format!("{file}: {}", r.note()));
        }
    }
    Ok(notes)
}

/// The scanned directory relative to the configuration file's directory, when there is one
/// directory below it: globs in `jobzero.toml` may be written relative to the file.
fn config_base(loaded: &LoadedConfig, paths: &[PathBuf]) -> Option<String> {
    let [root] = paths else { return None };
    let config_dir = std::fs::canonicalize(loaded.path.as_ref()?.parent()?).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    let rel = root.strip_prefix(&config_dir).ok()?;
    let rel = walk::slash_path(rel);
    (!rel.is_empty() && root.is_dir()).then_some(rel)
}

/// How the scan of `paths` walks them: the configuration's `exclude` globs (also relative to
/// `jobzero.toml` when one directory below it is scanned) and the file size limit
/// (`max_file_size`, else `[scan] max-file-size`, else 10 MiB). For callers that list the
/// files of a scan themselves (`scan --diff --changed-only`).
pub fn walk_options(
    loaded: &LoadedConfig,
    paths: &[PathBuf],
    max_file_size: Option<u64>,
) -> Result<WalkOptions, ConfigError> {
    let config = &loaded.config;
    let exclude = glob_set(&config.scan.exclude)
        .map_err(|e| loaded.error_at(&e.glob, format!("invalid `exclude` glob: {}", e.source)))?;
    Ok(WalkOptions {
        max_file_size: max_file_size
            .or(config.scan.max_file_size)
            .unwrap_or(DEFAULT_MAX_FILE_SIZE),
        exclude,
        exclude_base: config_base(loaded, paths),
        threads: 0,
    })
}

/// The families to run: `--only`, else every family but `--skip`.
fn selected(options: &Options) -> BTreeSet<Family> {
    if options.only.is_empty() {
        Family::ALL
            .into_iter()
            .filter(|f| !options.skip.contains(f))
            .collect()
    } else {
        options.only.iter().copied().collect()
    }
}

/// Runs a scan: validates the configuration against the scanners' rules, applies `--fix`,
/// scans the history when asked, scans the paths and applies the policy.
pub fn run(
    loaded: &LoadedConfig,
    scanners: &[&dyn Scanner],
    options: &Options,
) -> Result<Outcome, SessionError> {
    let registry = Registry::of(scanners);
    let mut warnings = validate(loaded, &registry)?;
    let config = &loaded.config;

    let mut baseline = options
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()?;
    if let Some(base) = &options.base {
        match &mut baseline {
            Some(b) => b.findings.extend(base.findings.iter().cloned()),
            None => baseline = Some(base.clone()),
        }
    }
    let mut policy = Policy::from_config(config, baseline.as_ref()).map_err(|e| {
        loaded.error_at(&e.glob, format!("invalid `[[ignore]]` glob: {}", e.source))
    })?;
    if let Some(service) = &options.service {
        policy.target.service = Some(service.clone());
    }
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let originals: Vec<PathBuf> = match &options.copy_of {
        Some((copy, original)) => paths
            .iter()
            .map(|p| {
                p.strip_prefix(copy)
                    .map_or_else(|_| p.clone(), |rel| original.join(rel))
            })
            .collect(),
        None => paths.clone(),
    };
    let walk = walk_options(loaded, &originals, options.max_file_size)?;
    policy.ignores.base = walk.exclude_base.clone();

    let families = selected(options);
    let implemented: BTreeSet<Family> = scanners.iter().map(|s| s.family()).collect();
    let missing: Vec<&str> = families
        .iter()
        .filter(|f| !implemented.contains(f))
        .map(|f| f.as_str())
        .collect();
    if !options.only.is_empty() && !missing.is_empty() {
        let message = format!(
            "not available in this build yet: {} (available: {})",
            missing.join(", "),
            implemented
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        // Asking only for families that cannot run would "pass" without looking at anything.
        if families.iter().all(|f| !implemented.contains(f)) {
            return Err(SessionError::Unavailable(message));
        }
        warnings.push(message);
    }
    let families: BTreeSet<Family> = families.intersection(&implemented).copied().collect();
    let scanners: Vec<&dyn Scanner> = scanners
        .iter()
        .copied()
        .filter(|s| families.contains(&s.family()))
        .collect();

    let max_file_size = walk.max_file_size;
    let fixed = match options.fix {
        FixMode::Off => Vec::new(),
        mode => fix(&scanners, &paths, &walk, mode)?,
    };
    let (extra, extra_errors) = if options.history {
        history(&scanners, &paths[0], max_file_size)?
    } else {
        (Vec::new(), Vec::new())
    };
    let request = ScanRequest {
        roots: paths,
        forced: options
            .sarif
            .iter()
            .map(|p| (p.clone(), Family::Sarif))
            .collect(),
        skip: options.skip_files.clone(),
        extra,
        extra_errors,
        families,
        walk,
        progress: options.progress,
        spotter: options.spotter,
        retired: registry.retired().to_vec(),
        contents: options.contents.clone(),
        labels: options.labels.clone(),
    };
    let report = scan::run(&scanners, &request, &policy);
    warnings.extend(report.notes.iter().cloned());
    warnings.extend(scanners.iter().flat_map(|s| s.warnings()));
    Ok(Outcome {
        report,
        warnings,
        fixed,
        registry,
    })
}

/// Findings and errors of every scanner that reads history.
fn history(
    scanners: &[&dyn Scanner],
    root: &Path,
    max_blob_size: u64,
) -> Result<(Vec<Finding>, Vec<ScanError>), SessionError> {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for s in scanners {
        if let Some(found) = s.history(root, max_blob_size) {
            let (f, e) = found.map_err(SessionError::History)?;
            findings.extend(f);
            errors.extend(e);
        }
    }
    Ok((findings, errors))
}

/// Rounds of fixes a file gets at most: each round applies what does not overlap and checks
/// again, so every edit is made against fresh positions.
const MAX_FIX_ROUNDS: usize = 16;

/// The safe fixes of every scanner over the files under `roots`, written in `Apply` mode.
fn fix(
    scanners: &[&dyn Scanner],
    roots: &[PathBuf],
    walk_options: &WalkOptions,
    mode: FixMode,
) -> Result<Vec<FixedFile>, SessionError> {
    let several = roots.len() > 1;
    let mut fixed = Vec::new();
    for root in roots {
        let prefix = several.then(|| walk::slash_path(root));
        let walked = walk::walk(root, prefix.as_deref(), walk_options);
        for file in &walked.files {
            let fixers: Vec<&dyn Scanner> = scanners
                .iter()
                .copied()
                .filter(|s| s.has_fixes() && s.wants(&file.display))
                .collect();
            if fixers.is_empty() {
                continue;
            }
            let before =
                std::fs::read_to_string(&file.path).map_err(|source| SessionError::Io {
                    what: "read to fix",
                    path: file.path.clone(),
                    source,
                })?;
            let mut after = before.clone();
            let mut applied = Vec::new();
            for scanner in fixers {
                let (text, done) = fix_rounds(scanner, &file.display, &after, &file.path);
                after = text;
                applied.extend(done);
            }
            if applied.is_empty() || after == before {
                continue;
            }
            if mode == FixMode::Apply {
                std::fs::write(&file.path, &after).map_err(|source| SessionError::Io {
                    what: "write the fixes to",
                    path: file.path.clone(),
                    source,
                })?;
            }
            fixed.push(FixedFile {
                display: file.display.clone(),
                path: file.path.clone(),
                before,
                after,
                applied,
            });
        }
    }
    Ok(fixed)
}

/// Applies one scanner's fixes to `text` until none is left, or until the text would stop
/// parsing: the new text and the fixes applied.
pub fn fix_rounds(
    scanner: &dyn Scanner,
    display: &str,
    text: &str,
    disk: &Path,
) -> (String, Vec<Fix>) {
    let fixes_of = |t: &str| {
        scanner.fixes(&SourceFile {
            path: display,
            bytes: t.as_bytes(),
            disk_path: Some(disk),
        })
    };
    let mut current = text.to_owned();
    let mut applied = Vec::new();
    for _ in 0..MAX_FIX_ROUNDS {
        let Some(fixes) = fixes_of(&current) else {
            break;
        };
        if fixes.is_empty() {
            break;
        }
        let (next, done) = apply_fixes(&current, &fixes);
        if done.is_empty() || fixes_of(&next).is_none() {
            break;
        }
        current = next;
        applied.extend(done);
    }
    (current, applied)
}

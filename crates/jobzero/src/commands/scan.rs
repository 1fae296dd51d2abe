//! `jobzero scan`: flags in, the core scan session, the report out.

use std::io::IsTerminal;

use jobzero_core::FailOn;
use jobzero_core::output::{gitlab, human, json, sarif};
use jobzero_core::session::{self, FixMode, Options};
use jobzero_core::suppress::{Baseline, SuppressionReason};

use crate::Outcome;
use crate::cli::{ScanArgs, ScanFormat};
use jobzero::families;

pub fn run(args: ScanArgs) -> anyhow::Result<Outcome> {
    let started = std::time::Instant::now();
    let started_at = std::time::SystemTime::now();
    let loaded = session::load_config(
        args.config.as_deref(),
        args.paths.first().map(AsRef::as_ref),
    )?;
    let config = &loaded.config;
    let advisory_db = super::db::database_dir(args.advisory_db.clone());
    let verifier = if args.verify {
        let v = jobzero_secrets::verify::Verifier::new(&config.secrets.verify)
            .map_err(|e| anyhow::Error::from(loaded.error_at(&e.0, e.to_string())))?;
        Some(std::sync::Arc::new(v))
    } else {
        None
    };
    let scanners = families::scanners_with(
        config,
        Some(&advisory_db),
        &jobzero_core::scan::Contents::default(),
        verifier.clone(),
    )
    .map_err(|e| {
        let needle = match e.downcast_ref::<jobzero_secrets::ConfigError>() {
            Some(jobzero_secrets::ConfigError::Allow { pattern, .. }) => pattern.clone(),
            Some(jobzero_secrets::ConfigError::AllowPath { glob, .. }) => glob.clone(),
            // Points at the line of `jobzero.toml` that names the rule file.
            None => e
                .downcast_ref::<families::CodeRulesError>()
                .and_then(|c| c.file.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        anyhow::Error::from(loaded.error_at(&needle, e.to_string()))
    })?;
    let scanners: Vec<&dyn jobzero_core::Scanner> = scanners.iter().map(AsRef::as_ref).collect();
    let diff = match &args.diff {
        Some(rev) => Some(against_base(&args, rev, &loaded, &scanners)?),
        None => None,
    };
    // The base revision's secrets are not reported: nobody is asked about them.
    if let Some(v) = &verifier {
        v.clear();
    }
    let (paths, labels) = match &diff {
        Some(d) if args.changed_only => (d.paths.clone(), d.labels.clone()),
        _ => (args.paths.clone(), Vec::new()),
    };
    let options = Options {
        paths,
        labels,
        base: diff.as_ref().map(|d| d.baseline.clone()),
        only: args.only.clone(),
        skip: args.skip.clone(),
        baseline: args.baseline.clone(),
        sarif: args.sarif.clone(),
        skip_files: args.output.iter().cloned().collect(),
        service: args.service.clone(),
        max_file_size: args.max_file_size,
        history: args.git_history,
        fix: match (args.fix, args.dry_run) {
            (false, _) => FixMode::Off,
            (true, false) => FixMode::Apply,
            (true, true) => FixMode::Preview,
        },
        progress: std::io::stderr().is_terminal(),
        spotter: Some(&jobzero_secrets::SPOTTER),
        ..Options::default()
    };
    let outcome = session::run(&loaded, &scanners, &options)?;
    if let Some(d) = &diff {
        crate::write::note(&d.note);
    }
    print_fixes(&outcome.fixed, options.fix);
    let mut report = outcome.report;
    if let Some(v) = &verifier {
        let answers = v.run();
        jobzero_secrets::annotate(&mut report.findings, &answers);
        report.recount();
        crate::write::note(&verify_summary(&answers));
    }

    if let Some(path) = &args.write_baseline {
        let kept = report
            .suppressed_findings
            .iter()
            .filter_map(|(f, reason)| (*reason == SuppressionReason::Baseline).then_some(f));
        Baseline::of(report.findings.iter().chain(kept)).write(path)?;
    }

    let text = match args.format {
        ScanFormat::Human => human::render(&report, Some(started.elapsed())),
        ScanFormat::Json => json::render(&report),
        ScanFormat::Sarif => sarif::render(&report, &outcome.registry),
        ScanFormat::GitlabSast => gitlab::render(&report, started_at, std::time::SystemTime::now()),
    };
    for e in &report.errors {
        crate::write::error(&e.to_string());
    }
    for w in &outcome.warnings {
        crate::write::warning(w);
    }
    crate::write::emit(&text, args.output.as_deref())?;
    if args.upload {
        upload(&args, config, report.clone())?;
    }

    let fail_on: FailOn = args.fail_on.or(config.scan.fail_on).unwrap_or_default();
    let reached = report
        .max_severity()
        .is_some_and(|s| fail_on.is_reached_by(s));
    Ok(if reached {
        Outcome::Findings
    } else if !report.errors.is_empty() && !args.allow_errors {
        Outcome::Error
    } else {
        Outcome::Clean
    })
}

/// `--verify`: how many secrets were asked about and what their issuers said.
fn verify_summary(
    answers: &std::collections::BTreeMap<
        jobzero_secrets::verify::Key,
        jobzero_secrets::verify::Answer,
    >,
) -> String {
    use jobzero_core::Verified;
    let count = |v: Verified| answers.values().filter(|a| a.verified == v).count();
    if answers.is_empty() {
        return "--verify: no finding of a detector that can verify (`jobzero rules explain ID` says which can)".to_owned();
    }
    let providers: std::collections::BTreeSet<&str> =
        answers.values().map(|a| a.provider.as_str()).collect();
    format!(
        "--verify: {} findings checked with {} issuers: {} live, {} revoked, {} unknown",
        answers.len(),
        providers.len(),
        count(Verified::Live),
        count(Verified::Revoked),
        count(Verified::Unknown)
    )
}

/// What `--diff REV` found in the base revision.
struct AgainstBase {
    /// The base's findings: suppressed as already there.
    baseline: Baseline,
    /// With --changed-only: the changed files, and how findings name them.
    paths: Vec<std::path::PathBuf>,
    labels: Vec<String>,
    /// What was compared, for the user.
    note: String,
    /// Keeps the base's files (and an empty directory) until the scan is done.
    _base: jobzero::base::BaseTree,
    _empty: Option<tempfile::TempDir>,
}

/// `--diff REV`: scans REV's copy of the same paths (or, with --changed-only, of the files
/// that changed) and returns its findings as a baseline.
fn against_base(
    args: &ScanArgs,
    rev: &str,
    loaded: &jobzero_core::config::LoadedConfig,
    scanners: &[&dyn jobzero_core::Scanner],
) -> anyhow::Result<AgainstBase> {
    use std::path::PathBuf;
    let roots: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let base = jobzero::base::BaseTree::checkout(&roots[0], rev)?;
    let shown = |p: &std::path::Path| jobzero_core::walk::slash_path(p);
    let mut head_paths = Vec::new();
    let mut head_labels = Vec::new();
    let mut base_paths = Vec::new();
    let mut base_labels = Vec::new();
    if args.changed_only {
        let walk = session::walk_options(loaded, &roots, args.max_file_size)?;
        let several = roots.len() > 1;
        for root in &roots {
            let prefix = several.then(|| shown(root).trim_end_matches('/').to_owned());
            let walked = jobzero_core::walk::walk(root, prefix.as_deref(), &walk);
            let files: Vec<(PathBuf, String)> = walked
                .files
                .into_iter()
                .map(|f| (f.path, f.display))
                .collect();
            let changed = base.changed(&files);
            for (path, display) in files {
                if !changed.contains(&path) {
                    continue;
                }
                if let Some(copy) = base.in_base(&path).filter(|c| c.is_file()) {
                    base_paths.push(copy);
                    base_labels.push(display.clone());
                }
                head_paths.push(path);
                head_labels.push(display);
            }
        }
    } else {
        for root in &roots {
            if let Some(copy) = base.in_base(root).filter(|c| c.exists()) {
                base_paths.push(copy);
                base_labels.push(shown(root));
            }
        }
    }
    let changed = head_paths.len();
    // Nothing to scan on a side: an empty directory stands in, so that the session does not
    // fall back to the current directory.
    let empty = if base_paths.is_empty() || (args.changed_only && head_paths.is_empty()) {
        Some(tempfile::tempdir()?)
    } else {
        None
    };
    if let Some(e) = &empty {
        if base_paths.is_empty() {
            base_paths.push(e.path().to_owned());
            base_labels.push(".".to_owned());
        }
        if args.changed_only && head_paths.is_empty() {
            head_paths.push(e.path().to_owned());
            head_labels.push(".".to_owned());
        }
    }
    let options = Options {
        paths: base_paths,
        labels: base_labels,
        copy_of: Some((base.dir.path().to_owned(), base.workdir.clone())),
        only: args.only.clone(),
        skip: args.skip.clone(),
        service: args.service.clone(),
        max_file_size: args.max_file_size,
        spotter: Some(&jobzero_secrets::SPOTTER),
        ..Options::default()
    };
    let outcome = session::run(loaded, scanners, &options)?;
    let baseline = Baseline::of(outcome.report.findings.iter());
    let short = base.commit.get(..12).unwrap_or(&base.commit);
    let note = if args.changed_only {
        format!(
            "--diff {rev} ({short}): {changed} files differ from {rev} and were scanned; {} findings already in {rev} are not reported",
            outcome.report.findings.len()
        )
    } else {
        format!(
            "--diff {rev} ({short}): {} findings already in {rev} are not reported",
            outcome.report.findings.len()
        )
    };
    Ok(AgainstBase {
        baseline,
        paths: head_paths,
        labels: head_labels,
        note,
        _base: base,
        _empty: empty,
    })
}

/// `--upload`: the report, as a complete scan of the service, to the hub.
fn upload(
    args: &ScanArgs,
    config: &jobzero_core::config::Config,
    report: jobzero_core::Report,
) -> anyhow::Result<()> {
    let service = args
        .service
        .clone()
        .or_else(|| config.service.name.clone())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "--upload needs a service: --service NAME or `[service] name` in jobzero.toml"
            )
        })?;
    let commit = args.commit.clone().or_else(|| {
        ["GITHUB_SHA", "CI_COMMIT_SHA"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
    });
    let mut hub_args = args.hub.clone();
    if hub_args.hub.is_none() {
        hub_args.hub.clone_from(&config.hub.url);
    }
    let hub = crate::hub_client::Hub::from_args(&hub_args)?;
    crate::commands::upload::send(&hub, report, &service, commit.as_deref(), true)
}

/// `--fix`: what was (or, with `--dry-run`, would be) changed, as notes or a unified diff.
fn print_fixes(fixed: &[session::FixedFile], mode: FixMode) {
    if mode == FixMode::Off {
        return;
    }
    let redactor = jobzero_core::redact::Redactor::new([], Some(&jobzero_secrets::SPOTTER));
    let mut count = 0;
    for file in fixed {
        if mode == FixMode::Preview {
            let diff = similar::TextDiff::from_lines(&file.before, &file.after);
            let text = diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("a/{}", file.display),
                    &format!("b/{}", file.display),
                )
                .to_string();
            // The diff shows the file's own lines: a secret near a fix is redacted there too.
            print!("{}", redactor.text(&file.display, &text));
        }
        for fix in &file.applied {
            crate::write::note(&format!("{}: {} ({})", file.display, fix.title, fix.rule));
        }
        count += file.applied.len();
    }
    let verb = if mode == FixMode::Preview {
        "would apply"
    } else {
        "applied"
    };
    crate::write::note(&format!(
        "--fix {verb} {count} fixes to {} files",
        fixed.len()
    ));
}

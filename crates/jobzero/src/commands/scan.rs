//! `jobzero scan`.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use jobzero_core::config::{Config, LoadedConfig};
use jobzero_core::output::{human, json, sarif};
use jobzero_core::scan::{self, Policy, ScanRequest};
use jobzero_core::suppress::{Baseline, SuppressionReason, glob_set};
use jobzero_core::walk::WalkOptions;
use jobzero_core::{FailOn, Family, Registry};

use crate::Outcome;
use crate::cli::{ScanArgs, ScanFormat};
use jobzero::families;

/// Loads `--config`, or the nearest `jobzero.toml` above the first path.
fn load_config(args: &ScanArgs) -> anyhow::Result<LoadedConfig> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => args.paths.first().and_then(|p| Config::discover(p)),
    };
    match path {
        Some(p) => Ok(Config::load(&p)?),
        None => Ok(LoadedConfig::default()),
    }
}

/// Every rule name in the configuration must designate a rule: a typo would silently turn a
/// control off or leave a finding unsuppressed.
fn check_rule_names(loaded: &LoadedConfig, registry: &Registry) -> anyhow::Result<()> {
    let c = &loaded.config;
    let names = c
        .rules
        .disable
        .iter()
        .chain(c.rules.severity.keys())
        .chain(c.ignore.iter().filter_map(|i| i.rule.as_ref()));
    for entry in &c.ignore {
        if entry.reason.trim().is_empty() {
            return Err(loaded
                .error_at(
                    "reason",
                    "`[[ignore]]` needs a non-empty `reason`: say why it is safe",
                )
                .into());
        }
    }
    if let Some(bad) = c
        .iam
        .accounts
        .iter()
        .find(|a| a.len() != 12 || !a.chars().all(|ch| ch.is_ascii_digit()))
    {
        return Err(loaded
            .error_at(
                bad,
                format!("`[iam] accounts`: `{bad}` is not a 12-digit account id"),
            )
            .into());
    }
    for name in names {
        if !registry.knows(name) {
            return Err(loaded
                .error_at(
                    name,
                    format!("unknown rule `{name}` (see `jobzero rules list`)"),
                )
                .into());
        }
    }
    Ok(())
}

/// The scanned directory relative to the configuration file's directory, when there is one
/// directory below it: globs in `jobzero.toml` may be written relative to the file.
fn config_base(loaded: &LoadedConfig, paths: &[PathBuf]) -> Option<String> {
    let [root] = paths else { return None };
    let config_dir = std::fs::canonicalize(loaded.path.as_ref()?.parent()?).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    let rel = root.strip_prefix(&config_dir).ok()?;
    let rel = jobzero_core::walk::slash_path(rel);
    (!rel.is_empty() && root.is_dir()).then_some(rel)
}

fn families(args: &ScanArgs) -> BTreeSet<Family> {
    if args.only.is_empty() {
        Family::ALL
            .into_iter()
            .filter(|f| !args.skip.contains(f))
            .collect()
    } else {
        args.only.iter().copied().collect()
    }
}

pub fn run(args: ScanArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let registry = families::registry();
    let loaded = load_config(&args)?;
    check_rule_names(&loaded, &registry)?;
    let config = &loaded.config;

    let exclude = glob_set(&config.scan.exclude)
        .map_err(|e| loaded.error_at(&e.glob, format!("invalid `exclude` glob: {}", e.source)))?;
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let mut policy = Policy::from_config(config, baseline.as_ref()).map_err(|e| {
        loaded.error_at(&e.glob, format!("invalid `[[ignore]]` glob: {}", e.source))
    })?;
    if let Some(service) = &args.service {
        policy.target.service = Some(service.clone());
    }
    let base = config_base(&loaded, &args.paths);
    policy.ignores.base = base.clone();

    let families = families(&args);
    let advisory_db = super::db::database_dir(args.advisory_db.clone());
    let scanners = families::scanners(config, &advisory_db).map_err(|e| {
        let needle = match e.downcast_ref::<jobzero_secrets::ConfigError>() {
            Some(jobzero_secrets::ConfigError::Allow { pattern, .. }) => pattern.clone(),
            Some(jobzero_secrets::ConfigError::AllowPath { glob, .. }) => glob.clone(),
            None => String::new(),
        };
        anyhow::Error::from(loaded.error_at(&needle, e.to_string()))
    })?;
    let scanners: Vec<&dyn jobzero_core::Scanner> = scanners.iter().map(AsRef::as_ref).collect();
    let implemented: BTreeSet<Family> = scanners.iter().map(|s| s.family()).collect();
    let missing: Vec<&str> = families
        .iter()
        .filter(|f| !implemented.contains(f))
        .map(|f| f.as_str())
        .collect();
    if !args.only.is_empty() && !missing.is_empty() {
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
            anyhow::bail!("--only {message}");
        }
        crate::write::warning(&message);
    }
    let (extra, extra_errors) = if args.git_history && families.contains(&Family::Secrets) {
        let secrets = jobzero_secrets::SecretsScanner::new(&config.secrets)?;
        let root = args
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        let history = jobzero_secrets::history::scan(
            &secrets,
            &root,
            args.max_file_size
                .or(config.scan.max_file_size)
                .unwrap_or(jobzero_core::config::DEFAULT_MAX_FILE_SIZE),
        )?;
        (history.findings, history.errors)
    } else {
        (Vec::new(), Vec::new())
    };
    let request = ScanRequest {
        roots: args.paths.clone(),
        forced: args
            .sarif
            .iter()
            .map(|p| (p.clone(), Family::Sarif))
            .collect::<Vec<(PathBuf, Family)>>(),
        skip: args.output.iter().cloned().collect(),
        extra,
        extra_errors,
        families: families.intersection(&implemented).copied().collect(),
        walk: WalkOptions {
            max_file_size: args
                .max_file_size
                .or(config.scan.max_file_size)
                .unwrap_or(jobzero_core::config::DEFAULT_MAX_FILE_SIZE),
            exclude,
            exclude_base: base,
            threads: 0,
        },
        progress: std::io::stderr().is_terminal(),
        spotter: Some(&jobzero_secrets::SPOTTER),
    };
    if args.fix {
        apply_pipeline_fixes(config, &request, args.dry_run)?;
    }
    let report = scan::run(&scanners, &request, &policy);

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
        ScanFormat::Sarif => sarif::render(&report, &registry),
    };
    for e in &report.errors {
        crate::write::error(&e.to_string());
    }
    for w in scanners.iter().flat_map(|s| s.warnings()) {
        crate::write::warning(&w);
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

/// `--fix`: rewrites the workflow files under the scanned roots with the pipeline family's
/// safe fixes (or prints them as a diff with `--dry-run`), before the scan reports what is
/// left.
fn apply_pipeline_fixes(
    config: &Config,
    request: &ScanRequest,
    dry_run: bool,
) -> anyhow::Result<()> {
    use jobzero_core::Scanner;
    let pipeline = jobzero_pipeline::PipelineScanner::new(config.pipeline.clone(), None);
    let several = request.roots.len() > 1;
    let mut fixed_files = 0usize;
    let mut fixes = 0usize;
    for root in &request.roots {
        let prefix = several.then(|| jobzero_core::walk::slash_path(root));
        let walked = jobzero_core::walk::walk(root, prefix.as_deref(), &request.walk);
        for file in walked.files.iter().filter(|f| pipeline.wants(&f.display)) {
            let text = std::fs::read_to_string(&file.path).map_err(|e| {
                anyhow::anyhow!("cannot read {} to fix it: {e}", file.path.display())
            })?;
            let (new, applied) = pipeline.fix(&file.display, &text);
            if applied.is_empty() || new == text {
                continue;
            }
            fixed_files += 1;
            fixes += applied.len();
            if dry_run {
                let diff = similar::TextDiff::from_lines(&text, &new);
                print!(
                    "{}",
                    diff.unified_diff().context_radius(3).header(
                        &format!("a/{}", file.display),
                        &format!("b/{}", file.display)
                    )
                );
            } else {
                std::fs::write(&file.path, &new).map_err(|e| {
                    anyhow::anyhow!("cannot write the fixes to {}: {e}", file.path.display())
                })?;
            }
            for fix in &applied {
                crate::write::note(&format!("{}: {} ({})", file.display, fix.title, fix.rule));
            }
        }
    }
    let verb = if dry_run { "would apply" } else { "applied" };
    crate::write::note(&format!(
        "--fix {verb} {fixes} fixes to {fixed_files} files"
    ));
    Ok(())
}

//! The scanner families linked into the binary, in the order they run.

use std::path::Path;

use jobzero_core::config::Config;
use jobzero_core::scan::Contents;
use jobzero_core::{Registry, Scanner};

/// Every scanner, configured by `jobzero.toml` and the advisory database in `advisory_db`
/// (none: the families inventory and audit without advisories).
pub fn scanners(
    config: &Config,
    advisory_db: Option<&Path>,
) -> anyhow::Result<Vec<Box<dyn Scanner>>> {
    scanners_with(config, advisory_db, &Contents::default(), None)
}

/// [`scanners`] whose readers of neighbouring files (Terraform modules) take `contents`
/// in place of the files on disk: an editor's unsaved buffers.
/// With `verifier`, the secrets family queues what it finds for `scan --verify`.
pub fn scanners_with(
    config: &Config,
    advisory_db: Option<&Path>,
    contents: &Contents,
    verifier: Option<std::sync::Arc<jobzero_secrets::verify::Verifier>>,
) -> anyhow::Result<Vec<Box<dyn Scanner>>> {
    // One database for both families that read advisories; without one, an empty path
    // that `read_dir` refuses, so nothing of the current directory is read as advisories.
    let db = jobzero_advisories::Database::open(advisory_db.unwrap_or(Path::new("")));
    let actions = advisory_db
        .and_then(|_| db.index("GitHub Actions").ok())
        .filter(|i| !i.is_empty())
        .map(|i| Box::new(ActionIndex(i)) as Box<dyn jobzero_pipeline::ActionAdvisories>);
    let deps =
        jobzero_deps::scanner::DepsScanner::new(db, config.deps.max_advisory_age_days.unwrap_or(7));
    // Both families read Terraform modules: each module is evaluated once per scan.
    let modules = std::sync::Arc::new(jobzero_iac::Modules::with_contents(contents.clone()));
    let mut code_rules = Vec::new();
    for path in &config.code.rules {
        let text = std::fs::read_to_string(path).map_err(|e| CodeRulesError {
            file: path.clone(),
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        code_rules.push((path.display().to_string(), text));
    }
    let code =
        jobzero_code::CodeScanner::with_rule_files(&code_rules).map_err(|e| CodeRulesError {
            file: e.file.clone().into(),
            message: e.to_string(),
        })?;
    Ok(vec![
        Box::new(match verifier {
            Some(v) => jobzero_secrets::SecretsScanner::new(&config.secrets)?.with_verifier(v),
            None => jobzero_secrets::SecretsScanner::new(&config.secrets)?,
        }),
        Box::new(deps),
        Box::new(jobzero_iac::IacScanner::with_modules(modules.clone())),
        Box::new(jobzero_iam::IamScanner::with_modules(&config.iam, modules)),
        Box::new(jobzero_pipeline::PipelineScanner::new(
            config.pipeline.clone(),
            actions,
        )),
        Box::new(code),
        Box::new(jobzero_sarif::SarifScanner),
    ])
}

/// A rule file named by `[code] rules` that cannot be read or does not load.
#[derive(Debug)]
pub struct CodeRulesError {
    /// The file, as resolved against the configuration's directory.
    pub file: std::path::PathBuf,
    /// What is wrong, naming the file.
    pub message: String,
}

impl std::fmt::Display for CodeRulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[code] rules: {}", self.message)
    }
}

impl std::error::Error for CodeRulesError {}

/// Every rule of every family, from the scanners themselves (with the default settings and
/// no advisory database, which change no rule).
pub fn registry() -> Registry {
    let scanners = scanners(&Config::default(), None).unwrap_or_default();
    let scanners: Vec<&dyn Scanner> = scanners.iter().map(AsRef::as_ref).collect();
    Registry::of(&scanners)
}

/// GitHub Actions advisories of the local database, for the pipeline family.
struct ActionIndex(jobzero_advisories::Index);

impl jobzero_pipeline::ActionAdvisories for ActionIndex {
    fn affecting(&self, action: &str, version: &str) -> Vec<(String, String, Vec<String>)> {
        let version = version.trim_start_matches('v');
        self.0
            .matches(action, version)
            .into_iter()
            .map(|m| (m.id, m.summary, m.fixed))
            .collect()
    }
}

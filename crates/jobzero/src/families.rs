//! The scanner families linked into the binary, in the order they run.

use std::path::Path;

use jobzero_core::config::Config;
use jobzero_core::{Registry, Scanner};

/// Every scanner, configured by `jobzero.toml` and the advisory database in `advisory_db`;
/// the deps family keeps the lockfiles it parses in `inventory` when one is given.
pub fn scanners(
    config: &Config,
    advisory_db: &Path,
    inventory: Option<jobzero_deps::scanner::Inventory>,
) -> anyhow::Result<Vec<Box<dyn Scanner>>> {
    let deps = jobzero_deps::scanner::DepsScanner::new(
        jobzero_advisories::Database::open(advisory_db),
        config.deps.max_advisory_age_days.unwrap_or(7),
    );
    let deps = match inventory {
        Some(i) => deps.collecting(i),
        None => deps,
    };
    Ok(vec![
        Box::new(jobzero_secrets::SecretsScanner::new(&config.secrets)?),
        Box::new(deps),
        Box::new(jobzero_sarif::SarifScanner),
    ])
}

/// Every rule of every family.
pub fn registry() -> Registry {
    Registry::new(&[
        jobzero_secrets::rules(),
        jobzero_deps::scanner::RULES,
        jobzero_sarif::RULES,
    ])
}

//! The scanner families linked into the binary, in the order they run.

use jobzero_core::config::Config;
use jobzero_core::{Registry, Scanner};

/// Every scanner, configured by `jobzero.toml`.
pub fn scanners(config: &Config) -> anyhow::Result<Vec<Box<dyn Scanner>>> {
    Ok(vec![
        Box::new(jobzero_secrets::SecretsScanner::new(&config.secrets)?),
        Box::new(jobzero_sarif::SarifScanner),
    ])
}

/// Every rule of every family.
pub fn registry() -> Registry {
    Registry::new(&[jobzero_secrets::rules(), jobzero_sarif::RULES])
}

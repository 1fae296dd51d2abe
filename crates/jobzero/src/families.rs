//! The scanner families linked into the binary, in the order they run.

use jobzero_core::{Registry, Scanner};

static SARIF: jobzero_sarif::SarifScanner = jobzero_sarif::SarifScanner;

/// Every scanner.
pub fn scanners() -> Vec<&'static dyn Scanner> {
    vec![&SARIF]
}

/// Every rule of every family.
pub fn registry() -> Registry {
    Registry::new(&[jobzero_sarif::RULES])
}

//! The `sarif` family: SARIF 2.1.0 logs of any other tool become jobzero findings.
//!
//! Logs are picked up by name (`*.sarif`, `*.sarif.json`) or handed over with `--sarif FILE`.
//! A log that is not JSON, not SARIF 2.1.0 or not shaped like SARIF is reported as a scan
//! error with its line, and the scan goes on.

pub mod convert;
pub mod load;
pub mod rules;

use jobzero_core::{Family, FileOutput, RuleMeta, ScanError, Scanner, SourceFile};

/// The family's rules, in registration order.
pub static RULES: &[&RuleMeta] = &[
    &rules::INGESTED_RESULT,
    &rules::INGESTED_SECRET,
    &rules::INGESTED_VULNERABILITY,
];

/// The SARIF ingestion scanner.
#[derive(Debug, Default, Clone, Copy)]
pub struct SarifScanner;

/// Whether a path names a SARIF log.
pub fn is_sarif_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".sarif") || lower.ends_with(".sarif.json")
}

impl Scanner for SarifScanner {
    fn family(&self) -> Family {
        Family::Sarif
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        RULES.to_vec()
    }

    fn wants(&self, path: &str) -> bool {
        is_sarif_path(path)
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut FileOutput) {
        let text = file.text();
        match load::parse(&text) {
            Ok(log) => {
                let converted = convert::convert(&log, file.path);
                out.findings.extend(converted.findings);
                out.tool_suppressed.extend(converted.suppressed);
            }
            Err(e) => out
                .errors
                .push(ScanError::new(file.path, e.line(), e.to_string())),
        }
    }
}

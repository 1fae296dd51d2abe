//! Replays every input kept in `fuzz/regressions/sarif/`: ingestion never panics, errors
//! carry a message, findings carry a path, and secrets never keep a snippet.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::Path;

use jobzero_core::scan::{FileOutput, Scanner, SourceFile};
use jobzero_sarif::SarifScanner;
use jobzero_sarif::convert::REDACTED;

#[test]
fn sarif_regressions_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/sarif");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "regression inputs missing");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let mut out = FileOutput::default();
        SarifScanner.scan_file(
            &SourceFile {
                path: "input.sarif",
                bytes: &bytes,
                disk_path: None,
            },
            &mut out,
        );
        for e in &out.errors {
            assert!(!e.message.is_empty(), "{}", path.display());
        }
        for f in out.findings.iter().chain(&out.tool_suppressed) {
            assert!(!f.location.path.is_empty(), "{}", path.display());
            if f.code == "SARIF002" {
                assert_eq!(
                    f.location.snippet.as_deref(),
                    Some(REDACTED),
                    "{}",
                    path.display()
                );
            }
        }
    }
}

//! Replays every input kept in `fuzz/regressions/code/` as the `code` fuzz target reads it:
//! an input that once crashed or hung a front end must not again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jobzero_code::CodeScanner;
use jobzero_core::{FileOutput, Scanner, SourceFile};

#[test]
fn code_regressions_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/code");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    let scanner = CodeScanner::default();
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        for path in [
            "app.py", "app.js", "app.ts", "app.tsx", "App.java", "main.go",
        ] {
            let mut out = FileOutput::default();
            scanner.scan_file(
                &SourceFile {
                    path,
                    bytes: &bytes,
                    disk_path: None,
                },
                &mut out,
            );
        }
    }
}

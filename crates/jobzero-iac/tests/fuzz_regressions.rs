//! Replays every input kept in `fuzz/regressions/iac/` as the `iac` fuzz target reads it (a
//! Terraform file, a template, a Dockerfile): an input that once crashed must not again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jobzero_iac::IacScanner;

#[test]
fn iac_regressions_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/iac");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    let scanner = IacScanner::single_file();
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        for path in ["main.tf", "template.yaml", "Dockerfile"] {
            let _ = scanner.audit(path, text);
        }
    }
}

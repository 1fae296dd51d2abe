//! The IaC corpus (`../shared/corpus/iac/`: terragoat, terraform-aws-modules, AWS's
//! CloudFormation samples, Kubernetes examples and goat, real Dockerfiles) scanned as
//! `jobzero scan` would. Terragoat's findings are one snapshot (path, line, rule, severity);
//! the whole corpus's parse errors another.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jobzero_core::Scanner;
use jobzero_core::scan::{FileOutput, SourceFile};
use jobzero_iac::IacScanner;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/iac")
}

/// Findings as `path:line rule severity` lines and errors, both sorted.
fn scan(root: &Path) -> (Vec<String>, Vec<String>) {
    let scanner = IacScanner::new();
    let walk = jobzero_core::walk::walk(root, None, &Default::default());
    assert!(!walk.files.is_empty(), "corpus missing: {}", root.display());
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for file in walk.files.iter().filter(|f| scanner.wants(&f.display)) {
        let bytes = std::fs::read(&file.path).unwrap_or_else(|e| panic!("{e}"));
        let mut out = FileOutput::default();
        scanner.scan_file(
            &SourceFile {
                path: &file.display,
                bytes: &bytes,
                disk_path: Some(&file.path),
            },
            &mut out,
        );
        for f in out.findings {
            lines.push(format!(
                "{}:{} {} {}",
                f.location.path, f.location.start_line, f.rule, f.severity
            ));
        }
        errors.extend(out.errors.iter().map(ToString::to_string));
    }
    lines.sort();
    errors.sort();
    (lines, errors)
}

#[test]
fn terragoat_scan_matches_its_snapshot() {
    let (lines, errors) = scan(&corpus().join("terraform/bridgecrewio__terragoat"));
    assert!(errors.is_empty(), "{errors:#?}");
    insta::assert_snapshot!("terragoat_findings", lines.join("\n"));
}

#[test]
fn the_whole_corpus_parses_but_for_known_files() {
    let (_, errors) = scan(&corpus());
    insta::assert_snapshot!("corpus_errors", errors.join("\n"));
}

//! The whole pipeline corpus (`../shared/corpus/pipeline/`: real projects' workflows and
//! actions, zizmor's and actionlint's test inputs, known-compromised actions), scanned as
//! `jobzero scan` would, as one snapshot: every finding's path, line, rule and severity.

// Test helpers outside #[test] functions fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jobzero_core::Scanner;
use jobzero_core::config::PipelineConfig;
use jobzero_core::scan::{FileOutput, SourceFile};
use jobzero_pipeline::PipelineScanner;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/pipeline")
}

fn scan_corpus() -> (Vec<String>, Vec<String>) {
    let scanner = PipelineScanner::new(PipelineConfig::default(), None);
    let walk = jobzero_core::walk::walk(&corpus(), None, &Default::default());
    assert!(
        walk.files.len() > 500,
        "corpus missing: {}",
        corpus().display()
    );
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
fn corpus_scan_matches_its_snapshot() {
    let (lines, errors) = scan_corpus();
    insta::assert_snapshot!("corpus_findings", lines.join("\n"));
    insta::assert_snapshot!("corpus_errors", errors.join("\n"));
}

#[test]
fn the_ultralytics_compromise_is_found_and_its_fix_is_clean() {
    let (lines, _) = scan_corpus();
    let vulnerable = "workflows/known-vulnerable/ultralytics__actions@63d2cd98a098f45d5532e3b1ee7715bae66280c2/action.yml:216 pipeline/template-injection high";
    assert!(
        lines.iter().any(|l| l == vulnerable),
        "the injection of December 2024 is missed"
    );
    let fixed = "workflows/known-vulnerable/ultralytics__actions@89c1f380073ace366e4fc8f41f32427b6d644c3e/action.yml:221 pipeline/template-injection";
    assert!(
        !lines.iter().any(|l| l.starts_with(fixed)),
        "the fixed version is reported"
    );
}

#[test]
fn nx_title_injection_is_found() {
    let (lines, _) = scan_corpus();
    let nx: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("nrwl__nx") && l.contains("template-injection high"))
        .collect();
    assert!(nx.len() >= 2, "{nx:?}");
}

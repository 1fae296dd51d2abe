//! Every detector definition against its own positive and negative examples, plus the
//! contracts of the definitions themselves.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use jobzero_core::config::SecretsConfig;
use jobzero_core::scan::{FileOutput, Scanner, SourceFile};
use jobzero_secrets::SecretsScanner;
use jobzero_secrets::definition::LOADED;
use jobzero_secrets::engine::ENGINE;
use jobzero_secrets::validate;

#[test]
fn definitions_load_and_compile() {
    let (defs, errors) = &*LOADED;
    assert!(
        errors.is_empty(),
        "{}",
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut problems = Vec::new();
    for (i, (d, _)) in defs.iter().enumerate() {
        if let Err(e) = ENGINE.detectors[i].regex() {
            problems.push(format!("{}: pattern does not compile: {e}", d.id));
        }
        if d.keywords.is_empty() {
            problems.push(format!("{}: no keywords", d.id));
        }
        for k in &d.keywords {
            if k.len() < 3 || *k != k.to_ascii_lowercase() {
                problems.push(format!(
                    "{}: keyword `{k}` must be lowercase, 3+ characters",
                    d.id
                ));
            }
        }
        if let Some(v) = &d.validate {
            if !validate::KNOWN.contains(&v.as_str()) {
                problems.push(format!("{}: unknown validator `{v}`", d.id));
            }
        }
        if d.positives.is_empty() || d.negatives.is_empty() {
            problems.push(format!("{}: needs positives and negatives", d.id));
        }
        for p in &d.positives {
            let lower = p.to_ascii_lowercase();
            if !d.keywords.iter().any(|k| lower.contains(k.as_str())) {
                problems.push(format!("{}: positive has none of the keywords: {p}", d.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_detector_reports_its_positives_and_not_its_negatives() {
    let mut problems = Vec::new();
    for (i, (d, _)) in LOADED.0.iter().enumerate() {
        // Detectors limited to some files are tested under the first such file name.
        let path = d
            .files
            .first()
            .map_or("input.txt", |g| g.trim_start_matches("**/"));
        for p in &d.positives {
            if !ENGINE
                .scan(path, p.as_bytes())
                .iter()
                .any(|c| c.detector == i)
            {
                problems.push(format!("{}: misses positive {p:?}", d.id));
            }
        }
        for n in &d.negatives {
            if ENGINE
                .scan(path, n.as_bytes())
                .iter()
                .any(|c| c.detector == i)
            {
                problems.push(format!("{}: reports negative {n:?}", d.id));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn positives_snapshot() {
    let scanner = SecretsScanner::new(&SecretsConfig::default()).unwrap();
    let mut lines = Vec::new();
    for (d, _) in &LOADED.0 {
        for (n, p) in d.positives.iter().enumerate() {
            let mut out = FileOutput::default();
            let name = d
                .files
                .first()
                .map_or("input.txt", |g| g.trim_start_matches("**/"));
            let path = format!("{}/positive-{n}/{name}", d.id);
            scanner.scan_file(
                &SourceFile {
                    path: &path,
                    bytes: p.as_bytes(),
                    disk_path: None,
                },
                &mut out,
            );
            for f in out.findings.iter().filter(|f| f.rule == d.id) {
                lines.push(format!(
                    "{}:{}:{} {} [{}] {} | {}",
                    f.location.path,
                    f.location.start_line,
                    f.location.start_column,
                    f.rule,
                    f.confidence,
                    f.message,
                    f.location
                        .snippet
                        .as_deref()
                        .unwrap_or_default()
                        .replace('\n', "⏎"),
                ));
            }
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

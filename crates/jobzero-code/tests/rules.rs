//! Every rule against its fixtures: `tests/fixtures/<rule>/positive.*` must give a finding of
//! the rule exactly on the lines that follow an `expect: <rule id>` comment, and
//! `negative.*` (sanitised flows, constant overwrites, validated values, safe variants) none.
//! The positive findings, with their traces, are snapshots.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jobzero_code::CodeScanner;
use jobzero_code::spec::CATALOGUE;
use jobzero_core::{FileOutput, Finding, Scanner, SourceFile};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn scan(path: &Path) -> FileOutput {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut out = FileOutput::default();
    CodeScanner::default().scan_file(
        &SourceFile {
            path: &name,
            bytes: &bytes,
            disk_path: Some(path),
        },
        &mut out,
    );
    out
}

fn files_named(dir: &Path, stem: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_stem().is_some_and(|s| s == stem))
        .collect();
    out.sort();
    out
}

fn expected_lines(text: &str, id: &str) -> BTreeSet<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split("expect:")
                .nth(1)
                .is_some_and(|rest| rest.split(',').any(|r| r.trim() == id))
        })
        .map(|(i, _)| u32::try_from(i).unwrap() + 2)
        .collect()
}

fn render(findings: &[&Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "{}:{} {} [{}] {}",
            f.location.path, f.location.start_line, f.rule, f.code, f.message
        );
        for s in &f.trace {
            let _ = writeln!(out, "    {:>3} {}", s.location.start_line, s.message);
        }
    }
    out
}

#[test]
fn the_catalogue_loads() {
    assert!(
        CATALOGUE.errors.is_empty(),
        "{}",
        CATALOGUE
            .errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut codes = BTreeSet::new();
    for r in &CATALOGUE.rules {
        assert!(codes.insert(r.meta.code), "duplicate code {}", r.meta.code);
        assert!(r.meta.code.starts_with("CODE"), "{}", r.meta.code);
        assert!(r.cwe > 0, "{} has no CWE", r.meta.id);
        assert!(
            r.meta.docs.contains(&format!("CWE-{}", r.cwe)),
            "{}: docs list the CWE",
            r.meta.id
        );
    }
    assert!(CATALOGUE.rules.len() >= 20);
}

#[test]
fn every_rule_has_positive_and_negative_fixtures() {
    let mut missing = Vec::new();
    for r in &CATALOGUE.rules {
        let name = r.meta.id.trim_start_matches("code/");
        let dir = fixtures().join(name);
        if !dir.is_dir()
            || files_named(&dir, "positive").is_empty()
            || files_named(&dir, "negative").is_empty()
        {
            missing.push(name.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures: {}",
        missing.join(", ")
    );
}

#[test]
fn fixtures_give_exactly_the_expected_findings() {
    let mut problems = Vec::new();
    for r in &CATALOGUE.rules {
        let name = r.meta.id.trim_start_matches("code/");
        let dir = fixtures().join(name);
        if !dir.is_dir() {
            continue;
        }
        let mut snapshot = String::new();
        for file in files_named(&dir, "positive") {
            let text = std::fs::read_to_string(&file).unwrap();
            let out = scan(&file);
            assert!(
                out.errors.is_empty(),
                "{}: {:?}",
                file.display(),
                out.errors
            );
            let mine: Vec<&Finding> = out
                .findings
                .iter()
                .filter(|f| f.rule == r.meta.id)
                .collect();
            let got: BTreeSet<u32> = mine.iter().map(|f| f.location.start_line).collect();
            let want = expected_lines(&text, r.meta.id);
            if want.is_empty() {
                problems.push(format!("{}: no `expect:` comment", file.display()));
            }
            if got != want {
                problems.push(format!(
                    "{}: expected findings on lines {want:?}, got {got:?}",
                    file.display()
                ));
            }
            if r.kind == jobzero_code::spec::RuleKind::Taint {
                for f in &mine {
                    if f.trace.len() < 2 {
                        problems.push(format!(
                            "{}:{}: a taint finding without a trace",
                            file.display(),
                            f.location.start_line
                        ));
                    }
                }
            }
            snapshot.push_str(&render(&mine));
        }
        for file in files_named(&dir, "negative") {
            let out = scan(&file);
            let wrong: Vec<&Finding> = out
                .findings
                .iter()
                .filter(|f| f.rule == r.meta.id)
                .collect();
            if !wrong.is_empty() {
                problems.push(format!(
                    "{}: near misses reported:\n{}",
                    file.display(),
                    render(&wrong)
                ));
            }
        }
        insta::assert_snapshot!(name, snapshot);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

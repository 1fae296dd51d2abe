//! Registry meta-tests and the generated documentation's freshness.
//!
//! `docs/rules/` and `docs/expectations.md` are generated from the rules' doc comments;
//! regenerate them with `JOBZERO_UPDATE_DOCS=1 cargo test -p jobzero --test registry`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use std::path::Path;

use jobzero_core::{Registry, docs, expectation, testing};

fn registry() -> Registry {
    jobzero::families::registry()
}

#[test]
fn registry_contracts_hold() {
    let problems = testing::registry_problems(&registry());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_names_a_catalogued_expectation() {
    for r in registry().rules() {
        assert_eq!(
            expectation::find(r.expectation.id),
            Some(r.expectation),
            "{}",
            r.id
        );
    }
}

#[test]
fn registry_lookups() {
    let reg = registry();
    assert_eq!(
        reg.find("SARIF001").map(|r| r.id),
        Some("sarif/ingested-result")
    );
    assert_eq!(
        reg.find("sarif001").map(|r| r.id),
        Some("sarif/ingested-result")
    );
    assert_eq!(
        reg.find("ingested-secret").map(|r| r.code),
        Some("SARIF002")
    );
    assert_eq!(
        reg.find("sarif/semgrep/python.eval").map(|r| r.id),
        Some("sarif/ingested-result"),
        "dynamic ids fall back to the family's carrier rule"
    );
    assert!(reg.find("secret/nothing").is_none());
    assert!(reg.knows("sarif/*"));
    assert!(reg.knows("iac/*"));
    assert!(reg.knows("iam/*"));
}

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A rule that is declared but not in its family's list would never run and never be
/// documented: every declared rule, in any family's sources or detector files, is registered.
#[test]
fn every_declared_rule_is_registered() {
    let reg = registry();
    let crates = common::workspace().join("crates");
    let mut declared = Vec::new();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Declarations: `declare_rule!` bodies; `id: "..."` on its own line inside one.
        for block in text.split("declare_rule! {").skip(1) {
            let id = block
                .lines()
                .find_map(|l| l.trim().strip_prefix("id: \""))
                .and_then(|rest| rest.split('"').next());
            if let Some(id) = id {
                declared.push((file.display().to_string(), id.to_owned()));
            }
        }
    }
    // Rules as data: the secrets family's detectors and the code family's rules.
    for dir in ["jobzero-secrets/rules", "jobzero-code/rules"] {
        for entry in std::fs::read_dir(crates.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let value: toml::Value = toml::from_str(&text).unwrap();
            let id = value["id"].as_str().unwrap().to_owned();
            declared.push((path.display().to_string(), id));
        }
    }
    // The core crate declares rules only for its own tests and examples.
    declared.retain(|(file, _)| !file.contains("jobzero-core"));
    assert!(
        declared.len() > 500,
        "found only {} declarations",
        declared.len()
    );
    let unregistered: Vec<String> = declared
        .iter()
        .filter(|(_, id)| !reg.rules().iter().any(|r| r.id == id.as_str()))
        .map(|(file, id)| format!("{file}: {id}"))
        .collect();
    assert!(
        unregistered.is_empty(),
        "declared but not registered (add the module to its family's `rule_set!`):\n{}",
        unregistered.join("\n")
    );
}

/// The checked-in file at `rel` must equal `expected`; with `JOBZERO_UPDATE_DOCS=1` it is
/// rewritten instead.
fn check_generated(rel: &str, expected: &str, stale: &mut Vec<String>) {
    let path = common::workspace().join(rel);
    if std::env::var_os("JOBZERO_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, expected).unwrap();
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(actual) if actual == expected => {}
        _ => stale.push(rel.to_owned()),
    }
}

#[test]
fn generated_docs_are_fresh() {
    let reg = registry();
    let mut stale = Vec::new();
    for rule in reg.rules() {
        check_generated(
            &format!("docs/rules/{}.md", rule.id),
            &rule.render_page(),
            &mut stale,
        );
    }
    for r in reg.retired() {
        check_generated(
            &format!("docs/rules/{}.md", r.id),
            &r.render_page(),
            &mut stale,
        );
    }
    check_generated("docs/rules/README.md", &docs::rules_index(&reg), &mut stale);
    check_generated(
        "docs/expectations.md",
        &docs::expectations_page(&reg),
        &mut stale,
    );

    // No page for a rule that no longer exists.
    let dir = common::workspace().join("docs/rules");
    for family in std::fs::read_dir(&dir).unwrap() {
        let family = family.unwrap().path();
        if !family.is_dir() {
            continue;
        }
        for page in std::fs::read_dir(&family).unwrap() {
            let page = page.unwrap().path();
            let rel = page.strip_prefix(&dir).unwrap();
            let id = rel.with_extension("").to_string_lossy().replace('\\', "/");
            if reg.rules().iter().all(|r| r.id != id) && reg.find_retired(&id).is_none() {
                stale.push(format!(
                    "{} (no such rule)",
                    Path::new("docs/rules").join(rel).display()
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated docs are stale: {}\nrun `JOBZERO_UPDATE_DOCS=1 cargo test -p jobzero --test registry`",
        stale.join(", ")
    );
}

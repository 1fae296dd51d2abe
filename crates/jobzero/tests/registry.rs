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
            if reg.rules().iter().all(|r| r.id != id) {
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

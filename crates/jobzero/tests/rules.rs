//! `jobzero rules`, `completions`, `--version` and every command's `--help`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{jobzero, stderr, stdout};

#[test]
fn rules_list_human_and_json() {
    let dir = tempfile::tempdir().unwrap();
    // The sarif family's list is stable; the secrets family grows with every detector.
    let out = jobzero(dir.path())
        .args(["rules", "list", "--family", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&out));

    let all = jobzero(dir.path())
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let all: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let families: std::collections::BTreeSet<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["family"].as_str().unwrap())
        .collect();
    assert_eq!(
        families,
        ["code", "deps", "iac", "iam", "pipeline", "sarif", "secrets"]
            .into_iter()
            .collect()
    );

    let out = jobzero(dir.path())
        .args(["rules", "list", "--format", "json", "--family", "sarif"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v[0];
    assert_eq!(first["id"], "sarif/ingested-result");
    assert_eq!(first["code"], "SARIF001");
    assert_eq!(first["expectation"], "JZ-CODE-ANALYSIS");
    assert_eq!(first["family"], "sarif");

    let out = jobzero(dir.path())
        .args(["rules", "list", "--family", "iam"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("IAM009"), "{}", stdout(&out));

    let out = jobzero(dir.path())
        .args(["rules", "list", "--family", "iac"])
        .output()
        .unwrap();
    let listing = stdout(&out);
    assert!(listing.contains("IAC060"), "{listing}");
    assert!(listing.contains("JZ-NET-EXPOSED"), "{listing}");
}

#[test]
fn rules_explain_by_id_code_dynamic_id_and_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let by_code = jobzero(dir.path())
        .args(["rules", "explain", "SARIF002"])
        .output()
        .unwrap();
    assert_eq!(by_code.status.code(), Some(0));
    let page = stdout(&by_code);
    for section in [
        "## What it finds",
        "## Why it matters",
        "## Example",
        "## Remediation",
        "## References",
    ] {
        assert!(page.contains(section), "{section} missing");
    }
    insta::assert_snapshot!(page);

    let by_id = jobzero(dir.path())
        .args(["rules", "explain", "sarif/ingested-secret"])
        .output()
        .unwrap();
    assert_eq!(stdout(&by_id), page);

    let dynamic = jobzero(dir.path())
        .args(["rules", "explain", "sarif/semgrep/python.eval"])
        .output()
        .unwrap();
    assert!(
        stdout(&dynamic).starts_with(
            "`sarif/semgrep/python.eval` is a finding id of rule sarif/ingested-result"
        )
    );

    let exp = jobzero(dir.path())
        .args(["rules", "explain", "JZ-SECRET-HARDCODED"])
        .output()
        .unwrap();
    let text = stdout(&exp);
    assert!(
        text.contains("No secrets in code") && text.contains("sarif/ingested-secret"),
        "{text}"
    );

    let unknown = jobzero(dir.path())
        .args(["rules", "explain", "nope"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no rule or expectation `nope`"));
}

#[test]
fn completions_and_version() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = jobzero(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(stdout(&out).contains("jobzero"), "{shell}");
    }
    let out = jobzero(dir.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = jobzero(dir.path()).arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        format!("jobzero {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn every_command_help_has_an_example() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        vec!["scan"],
        vec!["rules", "list"],
        vec!["rules", "explain"],
        vec!["completions"],
    ] {
        let out = jobzero(dir.path())
            .args(&cmd)
            .arg("--help")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{cmd:?}");
        assert!(
            stdout(&out).contains("Example"),
            "{cmd:?} --help has no example"
        );
    }
    let out = jobzero(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no subcommand is a usage error");
}

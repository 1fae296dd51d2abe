//! One construct, one finding: policy documents in infrastructure code are judged by the iam
//! family alone, and the IaC rule ids that used to judge them keep working as aliases.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{jobzero, stderr, stdout, write_files};
use serde_json::Value;

const TREE: &str = r#"resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_s3_bucket" "site" {
  bucket = "site"
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::site/*"
    }]
  })
}
"#;

fn scan(dir: &std::path::Path, extra: &[&str]) -> (Value, String) {
    let out = jobzero(dir)
        .args([
            "scan",
            "--only",
            "iac,iam",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (serde_json::from_slice(&out.stdout).unwrap(), stderr(&out))
}

/// The findings on the lines of the two policy documents, by rule.
fn policy_findings(report: &Value) -> Vec<(u64, String)> {
    let mut found: Vec<(u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let line = f["location"]["start_line"].as_u64().unwrap();
            (3..=6).contains(&line) || (15..=23).contains(&line)
        })
        .map(|f| {
            (
                f["location"]["start_line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn an_admin_policy_and_a_public_bucket_policy_are_one_finding_each() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("main.tf", TREE)]);
    let (report, _) = scan(dir.path(), &[]);
    let found = policy_findings(&report);
    let rules: Vec<&str> = found.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(
        rules,
        ["iam/full-admin-access", "iam/public-access"],
        "{found:?}"
    );
}

#[test]
fn a_retired_id_still_suppresses_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let tree = TREE.replace(
        "    Statement = [{\n      Effect    = \"Allow\"\n      Principal = \"*\"",
        "    # jobzero: ignore[iac/s3-bucket-policy-public] the site is public on purpose\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = \"*\"",
    );
    assert_ne!(tree, TREE);
    write_files(
        dir.path(),
        &[
            ("main.tf", &tree),
            (
                "jobzero.toml",
                "[[ignore]]\nrule = \"IAC095\"\nreason = \"break-glass role, reviewed\"\n",
            ),
        ],
    );
    let (report, notes) = scan(dir.path(), &[]);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"iam/full-admin-access"), "{rules:?}");
    assert!(!rules.contains(&"iam/public-access"), "{rules:?}");
    assert_eq!(report["suppressed"]["config"], 1, "{report}");
    assert_eq!(report["suppressed"]["inline"], 1, "{report}");
    for old in ["iac/iam-policy-admin-access", "iac/s3-bucket-policy-public"] {
        assert!(
            notes.contains(&format!("`{old}`")) && notes.contains("retired"),
            "no note for {old}: {notes}"
        );
    }
}

#[test]
fn a_baseline_of_a_retired_rule_accepts_its_replacement_at_the_same_path() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("main.tf", TREE),
            (
                "baseline.json",
                r#"{"baseline_version": 1, "findings": [
                    {"fingerprint": "0000", "rule": "iac/s3-bucket-policy-public", "path": "main.tf"}]}"#,
            ),
        ],
    );
    let (report, notes) = scan(dir.path(), &["--baseline", "baseline.json"]);
    let rules: Vec<(u64, String)> = policy_findings(&report);
    assert_eq!(
        rules.iter().map(|(_, r)| r.as_str()).collect::<Vec<_>>(),
        ["iam/full-admin-access"]
    );
    assert_eq!(report["suppressed"]["baseline"], 1);
    assert!(notes.contains("iac/s3-bucket-policy-public"), "{notes}");
}

#[test]
fn rules_explain_and_list_know_retired_ids() {
    let dir = tempfile::tempdir().unwrap();
    let out = jobzero(dir.path())
        .args(["rules", "explain", "IAC013"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(
        page.contains("`iac/s3-bucket-policy-public` (IAC013) was retired"),
        "{page}"
    );
    assert!(page.contains("# iam/public-access"), "{page}");
    let out = jobzero(dir.path())
        .args(["rules", "list", "--format", "json", "--family", "iac"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let retired = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "iac/s3-bucket-policy-public")
        .unwrap();
    assert_eq!(retired["status"], "removed");
    assert_eq!(retired["replaced_by"], "iam/public-access");
}

#[test]
fn a_literal_password_is_one_finding_the_secrets_one() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "db.tf",
            "resource \"aws_db_instance\" \"orders\" {\n  engine   = \"postgres\"\n  username = \"app\"\n  password = \"Zt4q9Lk2Vw8xRm7pQ3\"\n}\n",
        )],
    );
    let out = jobzero(dir.path())
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .env("JOBZERO_ADVISORY_DB", dir.path().join("no-db"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let on_line_4: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["start_line"] == 4 && f["expectation"] == "JZ-SECRET-HARDCODED")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(on_line_4.len(), 1, "{on_line_4:?}");
    assert!(on_line_4[0].starts_with("secret/"), "{on_line_4:?}");
    assert_eq!(report["suppressed"]["duplicate"], 1, "{report}");
    // Without the secrets family, the IaC rule still reports it.
    let out = jobzero(dir.path())
        .args([
            "scan",
            "--only",
            "iac",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "iac/hardcoded-database-password"),
        "{report}"
    );
}

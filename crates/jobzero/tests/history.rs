//! `jobzero scan --git-history` on a repository built in the test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{git, jobzero, stderr, stdout, write_files};
use serde_json::Value;

const AWS: &str = "AKIAR5TN2ZQ7XW3LB6KD";
const GH: &str = "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";

#[test]
fn history_reports_where_each_secret_was_introduced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"], "2024-01-01T00:00:00Z");
    write_files(d, &[("creds.ini", &format!("aws_access_key_id = {AWS}\n"))]);
    git(d, &["add", "."], "2024-01-02T10:00:00Z");
    git(d, &["commit", "-qm", "add creds"], "2024-01-02T10:00:00Z");
    let first = git(d, &["rev-parse", "HEAD"], "2024-01-02T10:00:00Z");
    git(d, &["rm", "-q", "creds.ini"], "2024-01-03T10:00:00Z");
    git(
        d,
        &["commit", "-qm", "remove creds"],
        "2024-01-03T10:00:00Z",
    );
    write_files(d, &[("gh.txt", &format!("token = {GH}\n"))]);
    git(d, &["add", "."], "2024-01-04T10:00:00Z");
    git(d, &["commit", "-qm", "token"], "2024-01-04T10:00:00Z");
    let third = git(d, &["rev-parse", "HEAD"], "2024-01-04T10:00:00Z");
    // The same secret edited on another branch: one finding, introduced on main.
    git(d, &["checkout", "-qb", "feature"], "2024-01-05T10:00:00Z");
    write_files(d, &[("gh.txt", &format!("token = {GH}\n# more\n"))]);
    git(d, &["commit", "-qam", "edit"], "2024-01-05T10:00:00Z");
    git(d, &["checkout", "-q", "main"], "2024-01-05T10:00:00Z");
    git(d, &["tag", "v1", &first], "2024-01-05T10:00:00Z");

    let out = jobzero(d)
        .args([
            "scan",
            "--git-history",
            "--only",
            "secrets",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains(AWS) && !text.contains(GH), "secrets leak");
    let v: Value = serde_json::from_str(&text).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{findings:#?}");

    let aws = findings
        .iter()
        .find(|f| f["rule"] == "secret/aws-access-key-id")
        .unwrap();
    assert_eq!(
        aws["location"]["path"], "creds.ini",
        "deleted since, found in history"
    );
    assert_eq!(aws["introduced"]["commit"], first.as_str());
    assert_eq!(aws["introduced"]["time"], "2024-01-02T10:00:00+00:00");

    let gh = findings
        .iter()
        .find(|f| f["rule"] == "secret/github-pat-classic")
        .unwrap();
    assert_eq!(gh["location"]["path"], "gh.txt");
    assert_eq!(
        gh["introduced"]["commit"],
        third.as_str(),
        "present at HEAD and in history: one finding"
    );

    // Without --git-history only the working tree is scanned.
    let (plain, _) = {
        let out = jobzero(d)
            .args(["scan", "--only", "secrets", "--format", "json"])
            .output()
            .unwrap();
        (serde_json::from_slice::<Value>(&out.stdout).unwrap(), out)
    };
    assert_eq!(plain["findings"].as_array().unwrap().len(), 1);
    assert!(plain["findings"][0].get("introduced").is_none());
}

#[test]
fn history_of_a_directory_that_is_not_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("a.txt", "x\n")]);
    let out = jobzero(dir.path())
        .args(["scan", "--git-history", "--only", "secrets"])
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read git history"),
        "{}",
        stderr(&out)
    );
}

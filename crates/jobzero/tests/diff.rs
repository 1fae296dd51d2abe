//! `jobzero scan --diff REV [--changed-only]` on a repository built in the test: a finding
//! added on a branch is reported, one already on the base is not.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{git, jobzero, stderr, stdout, write_files};
use serde_json::Value;

const OLD_KEY: &str = "AKIAR5TN2ZQ7XW3LB6KD";
const NEW_TOKEN: &str = "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";

const PUBLIC_BUCKET: &str = "resource \"aws_s3_bucket_acl\" \"logs\" {\n  bucket = \"logs\"\n  acl    = \"public-read\"\n}\n";

fn rules(report: &Value) -> Vec<(String, String)> {
    let mut r: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    r.sort();
    r
}

/// main: an old key and a public bucket; feature: a new token in a changed file, the
/// bucket file moved down two lines, an untracked file with nothing in it.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t = "2024-01-02T10:00:00Z";
    git(d, &["init", "-q", "-b", "main"], t);
    write_files(
        d,
        &[
            (
                "config/old.ini",
                &format!("aws_access_key_id = {OLD_KEY}\n"),
            ),
            ("infra/main.tf", PUBLIC_BUCKET),
            ("app/settings.ini", "debug = false\n"),
        ],
    );
    git(d, &["add", "."], t);
    git(d, &["commit", "-qm", "base"], t);
    git(d, &["checkout", "-qb", "feature"], t);
    write_files(
        d,
        &[
            (
                "app/settings.ini",
                &format!("debug = false\ntoken = {NEW_TOKEN}\n"),
            ),
            ("infra/main.tf", &format!("# moved\n\n{PUBLIC_BUCKET}")),
            ("notes.txt", "nothing here\n"),
        ],
    );
    git(d, &["commit", "-qam", "feature"], t);
    dir
}

#[test]
fn only_what_the_branch_introduces_is_reported() {
    let dir = repository();
    let d = dir.path();
    // Without --diff: everything.
    let all = jobzero(d)
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    let all: Value = serde_json::from_str(&stdout(&all)).unwrap();
    let everything = rules(&all);
    assert!(everything.contains(&("secret/aws-access-key-id".into(), "config/old.ini".into())));
    assert!(
        everything
            .iter()
            .any(|(r, _)| r == "iac/s3-bucket-public-acl")
    );

    for extra in [&[][..], &["--changed-only"][..]] {
        let out = jobzero(d)
            .args(["scan", "--diff", "main", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {}", stderr(&out));
        let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            rules(&report),
            vec![(
                "secret/github-pat-classic".to_owned(),
                "app/settings.ini".to_owned()
            )],
            "{extra:?}"
        );
        assert!(!stdout(&out).contains(NEW_TOKEN));
        assert!(stderr(&out).contains("--diff main"), "{}", stderr(&out));
    }

    // The work tree is untouched and a clean branch passes.
    let out = jobzero(d)
        .args(["scan", "--diff", "feature", "--changed-only"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(d.join("notes.txt").exists());
    let status = git(d, &["status", "--porcelain"], "2024-01-02T10:00:00Z");
    assert_eq!(status.trim(), "?? notes.txt");
}

#[test]
fn sarif_carries_only_the_new_finding() {
    let dir = repository();
    let out = jobzero(dir.path())
        .args(["scan", "--diff", "HEAD~1", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let results: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r.get("suppressions")
                .is_none_or(|s| s.as_array().is_none_or(Vec::is_empty))
        })
        .collect();
    assert_eq!(results.len(), 1, "{results:#?}");
    assert_eq!(results[0]["ruleId"], "secret/github-pat-classic");
}

#[test]
fn an_unknown_revision_or_no_repository_is_a_usage_error() {
    let dir = repository();
    let out = jobzero(dir.path())
        .args(["scan", "--diff", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`no-such-branch` does not name a commit"),
        "{}",
        stderr(&out)
    );
    let plain = tempfile::tempdir().unwrap();
    write_files(plain.path(), &[("a.txt", "x\n")]);
    let out = jobzero(plain.path())
        .args(["scan", "--diff", "main"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not in a git repository"),
        "{}",
        stderr(&out)
    );
    let out = jobzero(plain.path())
        .args(["scan", "--changed-only"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--changed-only needs --diff");
}

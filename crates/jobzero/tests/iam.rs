//! `jobzero iam simulate`: decisions, the deciding statement, JSON output and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{jobzero, write_files};
use serde_json::Value;

const BUCKET_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PartnerRead",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::exports/*"
    },
    {
      "Sid": "TlsOnly",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::exports", "arn:aws:s3:::exports/*"],
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    }
  ]
}
"#;

fn simulate(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = jobzero(dir)
        .args(["iam", "simulate", "policy.json"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn decisions_name_the_deciding_statement() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("policy.json", BUCKET_POLICY)]);
    let partner = [
        "--principal",
        "arn:aws:iam::444455556666:role/reader",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::exports/a.csv",
    ];

    let (code, out) = simulate(
        dir.path(),
        &[&partner[..], &["--context", "aws:SecureTransport=true"]].concat(),
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("ALLOW"), "{out}");
    assert!(out.contains("policy.json:4 (Sid `PartnerRead`)"), "{out}");

    let (code, out) = simulate(
        dir.path(),
        &[&partner[..], &["--context", "aws:SecureTransport=false"]].concat(),
    );
    assert_eq!(code, Some(1));
    assert!(out.starts_with("EXPLICIT-DENY"), "{out}");
    assert!(out.contains("TlsOnly"), "{out}");

    let (code, out) = simulate(
        dir.path(),
        &[
            "--principal",
            "777788889999",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::exports/a.csv",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(1));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["decision"], "implicit-deny");
    assert!(v["statement"].is_null());
    assert_eq!(
        v["request"]["context"]["aws:principalaccount"][0],
        "777788889999"
    );
}

#[test]
fn broken_policies_and_bad_arguments_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("policy.json", "{\"Statement\": [")]);
    let (code, _) = simulate(
        dir.path(),
        &["--principal", "*", "--action", "s3:GetObject"],
    );
    assert_eq!(code, Some(2));
    write_files(dir.path(), &[("policy.json", BUCKET_POLICY)]);
    let (code, _) = simulate(
        dir.path(),
        &[
            "--principal",
            "*",
            "--action",
            "s3:GetObject",
            "--context",
            "novalue",
        ],
    );
    assert_eq!(code, Some(2));
}

fn check(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let out = jobzero(dir).arg("iam").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn proofs_pass_fail_with_a_witness_or_are_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let public = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}"#;
    let org_only = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#;
    let variable = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}"#;
    write_files(
        dir.path(),
        &[
            ("public.json", public),
            ("org.json", org_only),
            ("variable.json", variable),
        ],
    );

    let (code, out) = check(dir.path(), &["check-no-public-access", "public.json"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.starts_with("FAIL check-no-public-access"), "{out}");
    assert!(out.contains("action:    s3:GetObject"), "{out}");

    let (code, out) = check(
        dir.path(),
        &["check-no-public-access", "public.json", "--format", "json"],
    );
    assert_eq!(code, Some(1));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result"], "fail");
    for field in ["principal", "action", "resource", "context"] {
        assert!(!v["witness"][field].is_null(), "{field}: {v}");
    }

    let (code, out) = check(
        dir.path(),
        &["check-no-public-access", "org.json", "--format", "json"],
    );
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["result"],
        "pass"
    );

    let (code, out) = check(
        dir.path(),
        &[
            "check-no-public-access",
            "variable.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(2), "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result"], "unknown");
    assert!(v["reason"].as_str().unwrap().contains("policy variables"));

    let (code, _) = check(
        dir.path(),
        &[
            "check-no-new-access",
            "--reference",
            "org.json",
            "public.json",
        ],
    );
    assert_eq!(
        code,
        Some(1),
        "dropping the organisation condition is new access"
    );
    let (code, _) = check(
        dir.path(),
        &[
            "check-no-new-access",
            "--reference",
            "public.json",
            "org.json",
        ],
    );
    assert_eq!(code, Some(0));

    let (code, _) = check(
        dir.path(),
        &[
            "check-access-not-granted",
            "public.json",
            "--action",
            "s3:PutObject",
        ],
    );
    assert_eq!(code, Some(0));
    let (code, out) = check(
        dir.path(),
        &[
            "check-access-not-granted",
            "public.json",
            "--action",
            "s3:Get*",
            "--resource",
            "arn:aws:s3:::site/index.html",
        ],
    );
    assert_eq!(code, Some(1), "{out}");
}

#[test]
fn scan_reads_policies_in_terraform_and_requires_mfa_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "main.tf",
                r#"resource "aws_iam_user_policy" "ops" {
  name   = "ops"
  user   = "ops"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = "*" }]
  })
}
"#,
            ),
            ("jobzero.toml", "[iam]\nrequire-mfa = [\"iam:Create*\"]\n"),
        ],
    );
    let found = iam_findings(dir.path());
    assert!(
        found.contains(&("iam/sensitive-action-without-mfa".to_owned(), 6)),
        "{found:?}"
    );
    std::fs::remove_file(dir.path().join("jobzero.toml")).unwrap();
    let found = iam_findings(dir.path());
    assert!(
        !found
            .iter()
            .any(|(r, _)| r == "iam/sensitive-action-without-mfa"),
        "{found:?}"
    );
}

#[test]
fn checks_read_a_policy_out_of_terraform_by_its_label() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "main.tf",
                r#"resource "aws_s3_bucket_policy" "public" {
  bucket = "site"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::site/*" }]
  })
}

resource "aws_s3_bucket_policy" "partner" {
  bucket = "exports"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::444455556666:root" }, Action = "s3:GetObject", Resource = "arn:aws:s3:::exports/*" }]
  })
}
"#,
            ),
            (
                "managed.json",
                r#"{"PolicyVersion": {"Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}, "VersionId": "v1"}}"#,
            ),
        ],
    );
    let check = |policy: &str| {
        let out = jobzero(dir.path())
            .args(["iam", "check-no-public-access", policy, "--format", "json"])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, err) = check("main.tf");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("aws_s3_bucket_policy.public.policy")
            && err.contains("aws_s3_bucket_policy.partner.policy"),
        "{err}"
    );
    let (code, out, err) = check("main.tf#aws_s3_bucket_policy.public.policy");
    assert_eq!(code, Some(1), "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result"], "fail");
    assert_eq!(v["witness"]["principal"], "*");
    let (code, out, _) = check("main.tf#aws_s3_bucket_policy.partner.policy");
    assert_eq!(code, Some(0), "{out}");
    let (code, out, err) = check("managed.json");
    assert_eq!(code, Some(0), "a wrapped policy is read: {out}{err}");
    let (code, _, err) = check("main.tf#nothing");
    assert_eq!(code, Some(2));
    assert!(err.contains("holds no policy `nothing`"), "{err}");
    write_files(
        dir.path(),
        &[(
            "broken.tf",
            "resource \"aws_s3_bucket_policy\" \"x\" {\n  policy = jsonencode({\n",
        )],
    );
    let (code, _, err) = check("broken.tf");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("broken.tf:2") && err.contains("invalid HCL"),
        "{err}"
    );
    // A scan of the iam family alone reports it too; with the iac family, once.
    for only in ["iam", "iac,iam"] {
        let out = jobzero(dir.path())
            .args(["scan", ".", "--only", only, "--format", "json"])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let hcl = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["path"] == "broken.tf")
            .count();
        assert_eq!(hcl, 1, "--only {only}: {}", report["errors"]);
    }
}

#[test]
fn the_zone_of_trust_can_be_given_on_the_command_line_and_in_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let partner = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Partner", "Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::exports/*"}]}"#;
    write_files(dir.path(), &[("policies/partner.json", partner)]);
    let check = |extra: &[&str]| {
        jobzero(dir.path())
            .args(["iam", "check-no-public-access", "policies/partner.json"])
            .args(extra)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(
        check(&[]),
        Some(0),
        "the accounts the policy names are trusted"
    );
    assert_eq!(check(&["--account", "111122223333"]), Some(1));
    assert_eq!(
        check(&["--account", "111122223333", "--account", "444455556666"]),
        Some(0)
    );
    assert_eq!(check(&["--account", "12345"]), Some(2));

    let public = |dir: &std::path::Path| -> usize {
        iam_findings(dir)
            .iter()
            .filter(|(rule, _)| rule == "iam/public-access")
            .count()
    };
    assert_eq!(public(dir.path()), 0);
    write_files(
        dir.path(),
        &[("jobzero.toml", "[iam]\naccounts = [\"111122223333\"]\n")],
    );
    assert_eq!(public(dir.path()), 1);
    write_files(
        dir.path(),
        &[("jobzero.toml", "[iam]\naccounts = [\"1111\"]\n")],
    );
    let out = jobzero(dir.path())
        .args(["scan", ".", "--only", "iam"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("jobzero.toml:2") && err.contains("12-digit"),
        "{err}"
    );
}

/// `jobzero scan . --only iam` in `dir`: each finding's rule and line.
fn iam_findings(dir: &std::path::Path) -> Vec<(String, u64)> {
    let out = jobzero(dir)
        .args(["scan", ".", "--only", "iam", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["location"]["start_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

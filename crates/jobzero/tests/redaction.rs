//! Canary secrets never appear whole in any output: human, JSON, SARIF, baselines, stderr.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{jobzero, stderr, stdout, write_files};

const CANARIES: [&str; 12] = [
    "AKIAT3MX9QZ2LW7NB4KD",
    "9QZ2LW7NB4KD",
    "AKIAW6XK3LQ2TZ7MN4PD",
    "ZXhwb3J0IEFXU19BQ0NFU1NfS0VZX0lEPUFLSUFXNlhLM0xRMlRaN01ONFBE",
    "AKIAQ4LM2ZT7XW3NB5KD",
    "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",
    "Zt4q9Lk2Vw8xRm7pQ3",
    "Hn4qR8zL2wTyP6",
    "UW03LXByb2QtZGItOVp4ITQy",
    "npm_Lk2v9XmP4rT8Hn3Jd6Fb1Sc5Vg0Ya2UeQz7w",
    "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu",
    "4c2d9e71-8a3b-4f60-b5d7-e19c03a6f842",
];

#[test]
fn no_canary_survives_any_output() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "config/aws.ini",
                "[default]\naws_access_key_id = AKIAQ4LM2ZT7XW3NB5KD\n",
            ),
            (
                ".github/workflows/ci.yml",
                "env:\n  GH_TOKEN: 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\n",
            ),
            (
                "app.properties",
                "spring.datasource.password=Zt4q9Lk2Vw8xRm7pQ3\n",
            ),
            (
                "docker-compose.yml",
                "DATABASE_URL: postgres://app:Hn4qR8zL2wTyP6@db:5432/orders\n",
            ),
            (
                "k8s/secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: UW03LXByb2QtZGItOVp4ITQy\n",
            ),
            (
                "src/conf.js",
                "const k = \"AKIAT3MX\" + \"9QZ2LW7NB4KD\";\n",
            ),
            (
                "scripts/boot.sh",
                "echo ZXhwb3J0IEFXU19BQ0NFU1NfS0VZX0lEPUFLSUFXNlhLM0xRMlRaN01ONFBE | base64 -d > /etc/env\n",
            ),
            (
                ".npmrc",
                "//registry.npmjs.org/:_authToken=npm_Lk2v9XmP4rT8Hn3Jd6Fb1Sc5Vg0Ya2UeQz7w\n",
            ),
            (
                "deploy/id_rsa",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm\no3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2k\n-----END RSA PRIVATE KEY-----\n",
            ),
            (
                ".netrc",
                "machine api.heroku.com login ops password 4c2d9e71-8a3b-4f60-b5d7-e19c03a6f842\n",
            ),
        ],
    );
    let mut outputs = Vec::new();
    for format in ["human", "json", "sarif"] {
        let out = jobzero(dir.path())
            .args(["scan", "--only", "secrets", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        outputs.push((format.to_owned(), stdout(&out)));
        outputs.push((format!("{format} stderr"), stderr(&out)));
    }
    let out = jobzero(dir.path())
        .args([
            "scan",
            "--only",
            "secrets",
            "--write-baseline",
            "baseline.json",
            "-o",
            "report.sarif",
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    for file in ["baseline.json", "report.sarif"] {
        outputs.push((
            file.to_owned(),
            std::fs::read_to_string(dir.path().join(file)).unwrap(),
        ));
    }

    let json = &outputs[2].1;
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let rules: std::collections::BTreeSet<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for expected in [
        "secret/aws-access-key-id",
        "secret/github-pat-classic",
        "secret/generic-credential",
        "secret/database-url-password",
        "secret/kubernetes-secret-data",
        "secret/npmrc-auth-token",
        "secret/private-key",
        "secret/netrc-password",
    ] {
        assert!(rules.contains(expected), "{expected} not found: {rules:?}");
    }
    let encoded = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["location"]["path"] == "scripts/boot.sh")
        .expect("base64-encoded key found");
    assert_eq!(encoded["rule"], "secret/aws-access-key-id");
    assert!(
        encoded["message"]
            .as_str()
            .unwrap()
            .contains("base64-encoded")
    );
    for (name, text) in &outputs {
        for canary in CANARIES {
            assert!(!text.contains(canary), "{name} leaks {canary}");
        }
    }
}

#[test]
fn secrets_allowlists_and_their_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("a.ini", "aws_access_key_id = AKIAQ4LM2ZT7XW3NB5KD\n"),
            (
                "fixtures/b.ini",
                "aws_access_key_id = AKIAR5TN2ZQ7XW3LB6KD\n",
            ),
            (
                "jobzero.toml",
                "[secrets]\nallow = [\"^AKIAQ4LM\"]\nallow-paths = [\"fixtures/**\"]\n",
            ),
            ("bad.toml", "[secrets]\nallow = [\n  \"(unclosed\",\n]\n"),
        ],
    );
    let out = jobzero(dir.path())
        .args(["scan", "--only", "secrets", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = jobzero(dir.path())
        .args(["scan", "--only", "secrets", "--config", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.toml:3:"), "{}", stderr(&out));
}

#[test]
fn other_scanners_allow_markers_are_counted_as_tool_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "a.py",
            "KEY = 'AKIAQ4LM2ZT7XW3NB5KD'  # pragma: allowlist secret\nK2 = 'AKIAR5TN2ZQ7XW3LB6KD'  # gitleaks:allow\n",
        )],
    );
    let out = jobzero(dir.path())
        .args(["scan", "--only", "secrets", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert_eq!(v["suppressed"]["tool"], 2);
    assert_eq!(out.status.code(), Some(0));
}

/// Secrets that share a line with another finding, sit in other families' snippets and
/// messages, in ingested SARIF, in history and in what the hub stores.
const SHARED_LINE: [&str; 6] = [
    "AKIA3K7GSRXELR5LY2FN",
    "lOs+UM5qh4AnRLwcOWFFibjCvXtfn6zlmC13FXrI",
    "ghp_Rv2Xk9Pn4Jc7Hb1Gd6Fs02q06YwWq3Zt8Lm5",
    "glpat-Jd6Fb1Sc5Vg0Ya2UeQz7",
    "xoxb-2837462918-2837462918374-Ab7dEfGh2jKlMn4pQrStUv9x",
    "sk_live_51Hq8ZtLm3Rv7Xk2Pn9Jc4Hb6Gd1Fs0Qw",
];

fn assert_no_shared_line_canary(name: &str, text: &str) {
    for canary in SHARED_LINE {
        assert!(!text.contains(canary), "{name} leaks {canary}:\n{text}");
    }
}

#[test]
fn every_secret_on_a_shown_line_is_redacted_whatever_finding_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let [akia, aws_secret, ghp, glpat, slack, stripe] = SHARED_LINE;
    write_files(
        d,
        &[
            // The AWS console's credentials export: two secrets on one line.
            (
                "credentials.csv",
                &format!(
                    "User name,Password,Access key ID,Secret access key,Console login link\n\
                     alice,,{akia},{aws_secret},https://x.signin.aws.amazon.com/console\n"
                ),
            ),
            (
                "tokens.py",
                &format!("TOKENS = [\"{ghp}\", \"{glpat}\"]  # {ghp} again\n"),
            ),
            // An IaC finding whose code frame spans a line holding a secret.
            (
                "Dockerfile",
                &format!(
                    "FROM ubuntu:22.04\nRUN curl -H \"Authorization: token {ghp}\" https://example.com/i.sh | sh\n"
                ),
            ),
            ("src/app.py", "def handler(request):\n    eval(request)\n"),
            // Another tool's result whose snippet and message quote secrets.
            (
                "semgrep.sarif",
                &common::sarif_log("python.lang.eval", "src/app.py", 2)
                    .replace("eval(request)", &format!("eval(request, '{slack}')"))
                    .replace(
                        "eval() of the request",
                        &format!("eval() with key {stripe}"),
                    ),
            ),
        ],
    );
    let mut seen_redacted_in_other_family = false;
    for format in ["human", "json", "sarif"] {
        let out = jobzero(d)
            .args(["scan", "--format", format])
            .env("JOBZERO_ADVISORY_DB", d.join("no-db"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert_no_shared_line_canary(format, &stdout(&out));
        assert_no_shared_line_canary(&format!("{format} stderr"), &stderr(&out));
        if format == "json" {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let findings = v["findings"].as_array().unwrap();
            let rules: Vec<&str> = findings
                .iter()
                .map(|f| f["rule"].as_str().unwrap())
                .collect();
            for expected in [
                "secret/aws-access-key-id",
                "secret/aws-access-key-pair",
                "secret/github-pat-classic",
                "sarif/semgrep/python.lang.eval",
            ] {
                assert!(rules.contains(&expected), "{expected} not in {rules:?}");
            }
            let ingested = findings
                .iter()
                .find(|f| f["rule"] == "sarif/semgrep/python.lang.eval")
                .unwrap();
            assert!(
                ingested["message"]
                    .as_str()
                    .unwrap()
                    .contains("sk_l…(41 chars)"),
                "{ingested}"
            );
            assert!(
                ingested["location"]["snippet"]
                    .as_str()
                    .unwrap()
                    .contains("xoxb…("),
                "{ingested}"
            );
            seen_redacted_in_other_family = findings.iter().any(|f| {
                f["family"] == "iac"
                    && f["location"]["snippet"]
                        .as_str()
                        .is_some_and(|s| s.contains("ghp_…(40 chars)"))
            });
        }
    }
    assert!(
        seen_redacted_in_other_family,
        "no IaC code frame showed the `RUN` line"
    );
}

#[test]
fn history_and_the_hub_keep_no_secret_of_a_shared_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("repo");
    let [akia, aws_secret, ghp, glpat, slack, stripe] = SHARED_LINE;
    write_files(
        &d,
        &[(
            "credentials.csv",
            &format!("alice,,{akia},{aws_secret}\nbob,{ghp},{glpat}\n"),
        )],
    );
    common::git(&d, &["init", "-q", "-b", "main"], "2024-01-02T10:00:00Z");
    common::git(&d, &["add", "."], "2024-01-02T10:00:00Z");
    common::git(&d, &["commit", "-qm", "creds"], "2024-01-02T10:00:00Z");
    common::git(&d, &["rm", "-q", "credentials.csv"], "2024-01-02T10:00:00Z");
    common::git(&d, &["commit", "-qm", "gone"], "2024-01-02T10:00:00Z");
    let out = jobzero(&d)
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
    let history = stdout(&out);
    assert!(history.contains("\"introduced\""), "{history}");
    assert_no_shared_line_canary("history", &history);

    // A report written by another client, with secrets in the texts of a non-secret finding:
    // the hub stores none of them.
    let db_path = tmp.path().join("hub.db");
    let db = format!("sqlite:{}", db_path.display());
    write_files(
        tmp.path(),
        &[(
            "org.toml",
            "[[teams]]\nname = \"payments\"\n\n[[services]]\nname = \"checkout\"\nteam = \"payments\"\nexposure = \"internal\"\ndata_classification = \"internal\"\n",
        )],
    );
    common::admin(tmp.path(), &db, &["org", "apply", "org.toml"]);
    let token = common::admin(
        tmp.path(),
        &db,
        &["token", "create", "--team", "payments", "--name", "ci"],
    )
    .trim()
    .to_owned();
    let server = common::Server::start(&db);
    let report = serde_json::json!({
        "schema_version": "1.0.0",
        "tool": {"name": "other", "version": "1"},
        "findings": [{
            "rule": "iac/s3-public-read", "code": "IAC001", "family": "iac",
            "title": format!("bucket with {stripe}"),
            "message": format!("aws_access_key_id = {akia} and {ghp}"),
            "severity": "high", "effective_severity": "high", "confidence": "high",
            "expectation": "JZ-DATA-PUBLIC",
            "location": {"path": "main.tf", "start_line": 3, "start_column": 1, "end_line": 3,
                         "end_column": 1, "snippet": format!("token = \"{slack}\"  # {glpat}")},
            "fingerprint": "0123456789abcdef", "references": [], "remediation": "fix it"
        }],
        "suppressed": {}, "errors": [],
        "summary": {"files_scanned": 1, "families": ["iac"]}
    });
    write_files(tmp.path(), &[("report.json", &report.to_string())]);
    let out = jobzero(tmp.path())
        .args([
            "upload",
            "report.json",
            "--service",
            "checkout",
            "--complete",
        ])
        .env("JOBZERO_HUB_URL", &server.url)
        .env("JOBZERO_TOKEN", &token)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    drop(server);
    let mut stored = Vec::new();
    for suffix in ["", "-wal"] {
        let file = format!("{}{suffix}", db_path.display());
        stored.extend(std::fs::read(&file).unwrap_or_default());
    }
    let stored = String::from_utf8_lossy(&stored);
    assert!(
        stored.contains("sk_l…(41 chars)"),
        "the hub stored the title redacted"
    );
    assert_no_shared_line_canary("hub database", &stored);
}

#[test]
fn a_fix_preview_redacts_secrets_in_its_context_lines() {
    let dir = tempfile::tempdir().unwrap();
    let token = "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";
    write_files(
        dir.path(),
        &[(
            ".github/workflows/ci.yml",
            &format!(
                "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      GH_TOKEN: {token}\n    steps:\n      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1\n"
            ),
        )],
    );
    let out = jobzero(dir.path())
        .args([
            "scan",
            "--only",
            "pipeline",
            "--fix",
            "--dry-run",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("+++ b/.github/workflows/ci.yml"), "{text}");
    assert!(text.contains("ghp_…(40 chars)"), "{text}");
    assert!(!text.contains(token), "{text}");
    assert!(!stderr(&out).contains(token));
}

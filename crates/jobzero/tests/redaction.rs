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

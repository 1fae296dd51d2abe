//! `jobzero scan --verify` end to end, against stand-in issuers on 127.0.0.1 (the debug
//! binary sends every verification request to `JOBZERO_VERIFY_TEST_BASE`; a release binary
//! ignores it).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::{jobzero, stderr, stdout, write_files};
use serde_json::Value;

const LIVE: &str = "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";
const REVOKED: &str = "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";
const OPENAI: &str = "sk-proj-b3soiNJ3vQEZ1HvIoicsONUggbjrqkCCPsVdj8F0dY7UitOZ";
const AWS_ID: &str = "AKIAZ7DQ2XJ4NQ3KW5LM";
const AWS_SECRET: &str = "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";

/// Stand-ins for GitHub (accepts `LIVE` only), OpenAI (rate limits everyone) and AWS STS
/// (accepts a request signed for `AWS_ID`); returns the base URL and the requests received.
fn issuers() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line.trim() != "" {
                request.push_str(&line);
                line.clear();
            }
            // Read the body too: closing with unread data would reset the connection.
            let length = request
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|n| n.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            let mut body = vec![0; length];
            std::io::Read::read_exact(&mut reader, &mut body).unwrap();
            let first = request.lines().next().unwrap_or_default().to_owned();
            let (status, reply) = if first.contains(" /api.github.com/user ") {
                if request.contains(&format!("Bearer {LIVE}")) {
                    (200, "{}")
                } else {
                    (401, "{}")
                }
            } else if first.contains(" /api.openai.com/") {
                (429, "{}")
            } else if first.starts_with("POST /sts.amazonaws.com/ ")
                && request.contains(&format!("Credential={AWS_ID}/"))
            {
                (
                    200,
                    "<GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult>",
                )
            } else {
                (404, "{}")
            };
            request.push_str(&String::from_utf8_lossy(&body));
            seen.lock().unwrap().push(request);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (base, log)
}

fn files(dir: &std::path::Path, config: &str) {
    write_files(
        dir,
        &[
            ("jobzero.toml", config),
            (
                "deploy/ci.env",
                &format!("GH_TOKEN={LIVE}\nOLD_GH_TOKEN={REVOKED}\nOPENAI_API_KEY={OPENAI}\n"),
            ),
            (
                "deploy/aws.ini",
                &format!(
                    "[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
                ),
            ),
        ],
    );
}

fn verified(report: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["location"]["path"] == "deploy/ci.env")
        .map(|f| {
            (
                f["location"]["start_line"].to_string(),
                f["verified"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn issuers_decide_live_revoked_and_unknown() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), "[service]\nname = \"ci\"\n");
    let (base, log) = issuers();

    // Never without --verify.
    let out = jobzero(dir.path())
        .args(["scan", "--format", "json"])
        .env("JOBZERO_VERIFY_TEST_BASE", &base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(log.lock().unwrap().is_empty(), "asked without --verify");
    let plain: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(plain["findings"][0].get("verified").is_none());

    let out = jobzero(dir.path())
        .args(["scan", "--verify", "--format", "json"])
        .env("JOBZERO_VERIFY_TEST_BASE", &base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for s in [LIVE, REVOKED, OPENAI] {
        assert!(
            !text.contains(s) && !stderr(&out).contains(s),
            "a secret leaked"
        );
    }
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        verified(&report),
        vec![
            ("1".to_owned(), "live".to_owned()),
            ("2".to_owned(), "revoked".to_owned()),
            ("3".to_owned(), "unknown".to_owned()),
        ]
    );
    // The AWS pair is signed, not sent: live, on the secret key's finding.
    let aws = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "secret/aws-secret-access-key")
        .unwrap();
    assert_eq!(aws["verified"], "live", "{aws}");
    let live = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["location"]["path"] == "deploy/ci.env")
        .unwrap();
    assert_eq!(live["severity"], "high");
    assert_eq!(live["effective_severity"], "critical");
    assert!(
        live["severity_reason"]
            .as_str()
            .unwrap()
            .contains("verified live: github"),
        "{live}"
    );
    assert!(
        stderr(&out).contains("4 findings checked with 3 issuers: 2 live, 1 revoked, 1 unknown"),
        "{}",
        stderr(&out)
    );
    let asked = log.lock().unwrap().clone();
    assert_eq!(asked.len(), 4, "{asked:?}");
    assert!(asked.iter().all(|r| {
        r.contains("/api.github.com/user ")
            || r.contains("/api.openai.com/v1/models ")
            || r.contains("/sts.amazonaws.com/ ")
    }));
    assert!(
        asked.iter().all(|r| !r.contains(AWS_SECRET)),
        "the AWS secret key was sent"
    );

    // SARIF carries the answer too.
    let out = jobzero(dir.path())
        .args(["scan", "--verify", "--format", "sarif"])
        .env("JOBZERO_VERIFY_TEST_BASE", &base)
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let props: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["properties"]["verified"].as_str())
        .collect();
    assert_eq!(props.len(), 4);
}

#[test]
fn the_allow_list_limits_whom_secrets_are_sent_to() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), "[secrets.verify]\nproviders = [\"openai\"]\n");
    let (base, log) = issuers();
    let out = jobzero(dir.path())
        .args(["scan", "--verify", "--format", "json"])
        .env("JOBZERO_VERIFY_TEST_BASE", &base)
        .output()
        .unwrap();
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        verified(&report),
        vec![
            ("1".to_owned(), "-".to_owned()),
            ("2".to_owned(), "-".to_owned()),
            ("3".to_owned(), "unknown".to_owned()),
        ]
    );
    let asked = log.lock().unwrap().clone();
    assert!(
        asked.iter().all(|l| l.contains("/api.openai.com/")),
        "{asked:?}"
    );

    files(dir.path(), "[secrets.verify]\nproviders = [\"gihtub\"]\n");
    let out = jobzero(dir.path())
        .args(["scan", "--verify"])
        .env("JOBZERO_VERIFY_TEST_BASE", &base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("jobzero.toml:2"), "{}", stderr(&out));
    assert!(stderr(&out).contains("`gihtub`"), "{}", stderr(&out));
}

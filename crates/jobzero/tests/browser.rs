//! The dashboard end to end in headless Chromium (Debian's `chromium`, driven by
//! `playwright-core` from `tests/browser/`; `.ci/run` installs both): log in, navigate, search
//! the inventory, screenshots under `target/browser-screenshots/`, and a script stored in a
//! finding that must never run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "test code"
)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{Server, admin, workspace, write_files};
use serde_json::json;

const ORG: &str = r#"
[[teams]]
name = "payments"
escalation = [{ role = "owner", contact = "pay-oncall@example.com" }]

[[services]]
name = "checkout"
team = "payments"
exposure = "internet"
data_classification = "confidential"
"#;

#[test]
fn dashboard_in_headless_chromium() {
    let browser_dir = workspace().join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    assert!(
        Path::new(&chromium).exists() && browser_dir.join("node_modules/playwright-core").exists(),
        "the browser tests need Debian's chromium at {chromium} and `npm ci` in tests/browser: run .ci/run, which installs both"
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let db = format!("sqlite:{}", dir.join("hub.db").display());
    write_files(dir, &[("org.toml", ORG)]);
    admin(dir, &db, &["org", "apply", "org.toml"]);
    let token = |args: &[&str]| admin(dir, &db, args).trim().to_owned();
    let ci = token(&["token", "create", "--team", "payments", "--name", "ci"]);
    let security = token(&["token", "create", "--security", "--name", "alice"]);
    let server = Server::start(&db);
    let url = server.url.clone();

    // A finding whose title and message carry scripts, and an inventory with log4j.
    let finding = json!({"rule": "iac/test", "code": "TST001", "family": "iac",
        "title": "<script>window.__jobzero_xss = 1</script>",
        "message": "<img src=x onerror=\"window.__jobzero_xss = 1; alert(1)\">",
        "severity": "high", "effective_severity": "high", "confidence": "high", "expectation": "JZ-MFA",
        "location": {"path": "main.tf", "start_line": 4}, "fingerprint": "f1", "references": [], "remediation": ""});
    let body = json!({"service": "checkout", "commit": "c1", "complete": true,
        "report": {"findings": [finding], "summary": {"families": ["iac", "deps"]}},
        "inventory": [{"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core", "version": "2.14.1",
            "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "lockfile": "pom.xml", "line": 7}]});
    let status = ureq::post(&format!("{url}/api/v1/uploads"))
        .header("Authorization", &format!("Bearer {ci}"))
        .send_json(&body)
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 201);

    let shots = workspace().join("target/browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .arg(browser_dir.join("dashboard.mjs"))
        .args([&url, &security, shots.to_str().unwrap()])
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    drop(server);
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for shot in [
        "overview",
        "team",
        "service",
        "finding",
        "inventory",
        "review",
    ] {
        let png = std::fs::read(shots.join(format!("{shot}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{shot}.png");
    }
}

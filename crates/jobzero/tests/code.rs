//! The code family end to end through the CLI: traces in JSON and SARIF, inline suppression,
//! an organisation's own rule file from `jobzero.toml`, and a rule file that does not load.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{jobzero, stderr, stdout, write_files};
use serde_json::Value;

const APP: &str = r#"import sqlite3
from flask import Flask, request

app = Flask(__name__)


def find(name):
    db = sqlite3.connect("app.db")
    return db.execute("SELECT * FROM users WHERE name = '" + name + "'").fetchall()


@app.route("/users")
def users():
    name = request.args.get("name", "")
    return {"rows": find(name)}


@app.route("/audit")
def audit():
    who = request.args.get("who", "")
    # jobzero: ignore[code/sql-injection]
    sqlite3.connect("app.db").execute("INSERT INTO audit VALUES ('" + who + "')")
    return "ok"
"#;

fn json_scan(dir: &std::path::Path, extra: &[&str]) -> Value {
    let mut cmd = jobzero(dir);
    cmd.args([
        "scan",
        ".",
        "--only",
        "code",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    cmd.args(extra);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn findings_carry_their_trace_in_json_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("app.py", APP)]);
    let report = json_scan(dir.path(), &["--config", "/dev/null"]);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f["rule"], "code/sql-injection");
    assert_eq!(f["location"]["start_line"], 9);
    assert!(
        f["references"]
            .as_array()
            .unwrap()
            .contains(&Value::from("CWE-89"))
    );
    let lines: Vec<u64> = f["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["location"]["start_line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines.first(), Some(&14), "the source first: {lines:?}");
    assert_eq!(lines.last(), Some(&9), "the sink last: {lines:?}");
    assert!(lines.contains(&15), "the call into `find`: {lines:?}");
    // The ignored line is counted, not reported.
    assert_eq!(report["suppressed"]["inline"], 1);

    let out = jobzero(dir.path())
        .args([
            "scan",
            ".",
            "--only",
            "code",
            "--format",
            "sarif",
            "--config",
            "/dev/null",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let flows = &sarif["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"];
    let steps = flows.as_array().unwrap();
    assert_eq!(steps.len(), lines.len());
    assert_eq!(
        steps[0]["location"]["physicalLocation"]["region"]["startLine"],
        14
    );
    assert!(
        steps[0]["location"]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("flask.request.args")
    );
}

#[test]
fn an_organisations_rule_file_adds_sources_and_sinks() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "svc/handler.py",
                "import acme.web\nimport acme.db\n\n@acme.web.endpoint\ndef lookup(customer):\n    acme.db.run_query(\"SELECT * FROM c WHERE id = \" + customer)\n    acme.db.run_query(\"SELECT * FROM c WHERE id = \" + acme.ids.parse_id(customer))\n",
            ),
            (
                "security/acme.toml",
                "language = \"python\"\n\n[[source]]\nname = \"ACME endpoint parameter\"\nparams_of = [\"acme.web.endpoint\"]\n\n[[scrubber]]\nlanguages = [\"python\"]\ncalls = [\"acme.ids.parse_id\"]\n",
            ),
            (
                "security/acme-db.toml",
                "id = \"code/acme-raw-query\"\ncode = \"CODE901\"\ntitle = \"untrusted data in an ACME raw query\"\ncwe = 89\nseverity = \"high\"\nconfidence = \"high\"\nkind = \"taint\"\nwhat = \"w\"\nwhy = \"y\"\nexample = \"e\"\nremediation = \"r\"\n\n[[sink]]\nlanguages = [\"python\"]\ncalls = [\"acme.db.run_query\"]\nargs = [0]\n",
            ),
            (
                "jobzero.toml",
                "[code]\nrules = [\"security/acme.toml\", \"security/acme-db.toml\"]\n",
            ),
        ],
    );
    let report = json_scan(dir.path(), &[]);
    let findings = report["findings"].as_array().unwrap();
    let lines: Vec<u64> = findings
        .iter()
        .filter(|f| f["rule"] == "code/acme-raw-query")
        .map(|f| f["location"]["start_line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![6], "{findings:#?}");
}

#[test]
fn a_rule_file_that_does_not_load_stops_the_scan_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("app.py", APP),
            ("bad.toml", "id = \"code/x\"\nkind = \"taint\"\n"),
            ("jobzero.toml", "[code]\nrules = [\"bad.toml\"]\n"),
        ],
    );
    let out = jobzero(dir.path())
        .args(["scan", ".", "--only", "code"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.toml"), "{}", stderr(&out));
}

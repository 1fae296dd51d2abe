//! `jobzero scan` with the deps family: lockfiles against the corpus advisories.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{corpus, jobzero, stderr, write_files};
use serde_json::Value;

#[test]
fn vulnerable_packages_are_findings_with_package_and_advisory() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let out = jobzero(dir.path())
        .args(["db", "import", "--advisory-db"])
        .arg(&db)
        .arg(corpus().join("deps/advisories/ghsa-sample"))
        .arg(corpus().join("deps/advisories/osv/PyPI.zip"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    write_files(
        &dir.path().join("app"),
        &[
            (
                "package-lock.json",
                "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"dependencies\": {\"lodash\": \"^4\"}, \"devDependencies\": {\"minimist\": \"^1\"}},\n    \"node_modules/lodash\": {\"version\": \"4.17.15\"},\n    \"node_modules/minimist\": {\"version\": \"1.2.5\", \"dev\": true},\n    \"node_modules/left-pad\": {\"version\": \"1.3.0\"}\n  }\n}\n",
            ),
            ("requirements.txt", "Django==1.0\nrequests==2.32.3\n"),
        ],
    );
    let out = jobzero(&dir.path().join("app"))
        .args([
            "scan",
            "--only",
            "deps",
            "--format",
            "json",
            "--advisory-db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let lodash = findings
        .iter()
        .find(|f| f["rule"] == "vuln/GHSA-p6mc-m468-83gw")
        .expect("lodash prototype pollution");
    assert_eq!(lodash["code"], "DEP001");
    assert_eq!(lodash["package"]["purl"], "pkg:npm/lodash@4.17.15");
    assert_eq!(lodash["location"]["start_line"], 5);
    assert!(
        lodash["advisory"]["fixed"]
            .as_array()
            .unwrap()
            .contains(&Value::from("4.17.20"))
    );
    assert!(
        lodash["remediation"]
            .as_str()
            .unwrap()
            .contains("to 4.17.20")
    );
    let minimist = findings
        .iter()
        .find(|f| f["rule"] == "vuln/GHSA-xvch-5gv4-984h")
        .unwrap();
    assert!(
        minimist["message"]
            .as_str()
            .unwrap()
            .contains("dev dependency")
    );
    assert!(findings.iter().any(|f| f["rule"] == "vuln/PYSEC-2008-1"));
    assert!(
        findings
            .iter()
            .all(|f| f["package"]["name"] != "left-pad" && f["package"]["name"] != "requests")
    );

    // Without advisories: inventoried, not matched, said once.
    let out = jobzero(&dir.path().join("app"))
        .args(["scan", "--only", "deps", "--advisory-db"])
        .arg(dir.path().join("empty"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert_eq!(err.matches("jobzero db import").count(), 1, "{err}");
}

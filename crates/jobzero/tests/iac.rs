//! The IaC family through `jobzero scan`: the service's exposure moves an open port's
//! effective severity, secrets in Terraform never reach the report, and a broken file is an
//! error naming its line while the rest of the module is still scanned.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{jobzero, write_files};
use serde_json::Value;

const OPEN_SSH: &str = r#"resource "aws_security_group" "bastion" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

fn scan(dir: &std::path::Path, args: &[&str]) -> (Value, std::process::Output) {
    let out = jobzero(dir)
        .args([
            "scan",
            ".",
            "--only",
            "iac",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .args(args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (v, out)
}

fn open_port(v: &Value) -> &Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "iac/security-group-open-admin-port")
        .unwrap_or_else(|| panic!("no open-port finding: {v:#}"))
}

#[test]
fn exposure_moves_an_open_ports_effective_severity() {
    for (exposure, effective) in [("internet", "critical"), ("internal", "medium")] {
        let dir = tempfile::tempdir().unwrap();
        let config = format!("[service]\nname = \"edge\"\nexposure = \"{exposure}\"\n");
        write_files(
            dir.path(),
            &[("jobzero.toml", &config), ("main.tf", OPEN_SSH)],
        );
        let (v, _) = scan(dir.path(), &[]);
        let f = open_port(&v);
        assert_eq!(f["severity"], "high");
        assert_eq!(f["effective_severity"], effective, "{exposure}");
        assert_eq!(f["location"]["start_line"], 6);
        assert_eq!(
            f["location"]["route"],
            "resource.aws_security_group.bastion.ingress[0].cidr_blocks"
        );
        assert_eq!(f["expectation"], "JZ-NET-EXPOSED");
    }
}

#[test]
fn a_broken_file_is_an_error_and_the_module_is_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("main.tf", OPEN_SSH),
            ("broken.tf", "resource \"x\" \"y\" {\n  a = \n}\n"),
        ],
    );
    let (v, out) = scan(dir.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a scan that could not read everything"
    );
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], "broken.tf");
    assert!(errors[0]["line"].as_u64().is_some());
    open_port(&v);
}

#[test]
fn secrets_in_infrastructure_code_never_reach_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let password = "Tr0ub4dor-and-3-horses";
    let tf = format!(
        "resource \"aws_db_instance\" \"db\" {{\n  engine   = \"postgres\"\n  password = \"{password}\"\n}}\n"
    );
    let docker = format!("FROM alpine:3.20\nENV DB_PASSWORD={password}\nUSER nobody\n");
    write_files(dir.path(), &[("main.tf", &tf), ("Dockerfile", &docker)]);
    for format in ["json", "sarif", "human"] {
        let out = jobzero(dir.path())
            .args([
                "scan",
                ".",
                "--only",
                "iac",
                "--fail-on",
                "never",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("hardcoded-database-password"),
            "{format}: {text}"
        );
        assert!(
            text.contains("docker-secret-in-env-or-arg"),
            "{format}: {text}"
        );
        assert!(
            !text.contains(password),
            "{format} leaks the secret: {text}"
        );
        assert!(
            !text.contains("3-horses"),
            "{format} leaks part of the secret"
        );
    }
}

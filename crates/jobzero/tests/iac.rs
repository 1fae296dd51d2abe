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

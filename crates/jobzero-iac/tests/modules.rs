//! Terraform files are read as the module of their directory, and local module calls are
//! followed with the arguments the caller passes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use jobzero_core::{FileOutput, Finding, Scanner, SourceFile};
use jobzero_iac::IacScanner;

/// Scans every `.tf` file under `root` the way the engine does, with display paths relative
/// to `root`.
fn scan(root: &Path, files: &[&str]) -> Vec<Finding> {
    let scanner = IacScanner::new();
    let mut all = Vec::new();
    for rel in files {
        let disk = root.join(rel);
        let bytes = std::fs::read(&disk).unwrap();
        let mut out = FileOutput::default();
        scanner.scan_file(
            &SourceFile {
                path: rel,
                bytes: &bytes,
                disk_path: Some(&disk),
            },
            &mut out,
        );
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        all.extend(out.findings);
    }
    all
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn a_linked_resource_in_another_file_of_the_module_counts() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.tf",
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n",
    );
    let unencrypted = |fs: &[Finding]| {
        fs.iter()
            .filter(|f| f.rule == "iac/s3-bucket-unencrypted")
            .count()
    };
    assert_eq!(unencrypted(&scan(dir.path(), &["a.tf"])), 1);
    write(
        dir.path(),
        "b.tf",
        "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"logs\" {\n  bucket = aws_s3_bucket.logs.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = \"aws:kms\"\n    }\n  }\n}\n",
    );
    assert_eq!(unencrypted(&scan(dir.path(), &["a.tf", "b.tf"])), 0);
}

#[test]
fn tfvars_values_reach_resources() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "variable \"ssh_from\" {\n  default = [\"10.0.0.0/8\"]\n}\nresource \"aws_security_group\" \"s\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = var.ssh_from\n  }\n}\n",
    );
    let open = |fs: &[Finding]| {
        fs.iter()
            .filter(|f| f.rule == "iac/security-group-open-admin-port")
            .count()
    };
    assert_eq!(open(&scan(dir.path(), &["main.tf"])), 0);
    write(
        dir.path(),
        "terraform.tfvars",
        "ssh_from = [\"0.0.0.0/0\"]\n",
    );
    let found = scan(dir.path(), &["main.tf"]);
    assert_eq!(open(&found), 1);
    let f = found
        .iter()
        .find(|f| f.rule == "iac/security-group-open-admin-port")
        .unwrap();
    assert_eq!(f.location.start_line, 9);
    assert_eq!(
        f.location.route.as_deref(),
        Some("resource.aws_security_group.s.ingress[0].cidr_blocks")
    );
}

#[test]
fn a_local_module_is_followed_with_its_callers_arguments() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "modules/sg/main.tf",
        "variable \"admin_cidrs\" {\n  default = [\"10.0.0.0/8\"]\n}\nresource \"aws_security_group\" \"this\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = var.admin_cidrs\n  }\n}\n",
    );
    write(
        dir.path(),
        "main.tf",
        "module \"bastion\" {\n  source      = \"./modules/sg\"\n  admin_cidrs = [\"0.0.0.0/0\"]\n}\nmodule \"internal\" {\n  source = \"./modules/sg\"\n}\n",
    );
    let found = scan(dir.path(), &["main.tf", "modules/sg/main.tf"]);
    let open: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule == "iac/security-group-open-admin-port")
        .collect();
    assert_eq!(open.len(), 1, "{open:#?}");
    assert_eq!(open[0].location.path, "modules/sg/main.tf");
    assert_eq!(open[0].location.start_line, 9);
    assert!(
        open[0].message.contains("`module.bastion` of main.tf"),
        "{}",
        open[0].message
    );
}

#[test]
fn a_module_outside_the_scanned_tree_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "shared/main.tf",
        "variable \"c\" {\n  default = []\n}\nresource \"aws_security_group\" \"this\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = var.c\n  }\n}\n",
    );
    write(
        dir.path(),
        "app/main.tf",
        "module \"x\" {\n  source = \"../shared\"\n  c      = [\"0.0.0.0/0\"]\n}\n",
    );
    let scanner = IacScanner::new();
    let disk = dir.path().join("app/main.tf");
    let bytes = std::fs::read(&disk).unwrap();
    let mut out = FileOutput::default();
    // Scanned with `app` as the root: `../shared` is outside it.
    scanner.scan_file(
        &SourceFile {
            path: "main.tf",
            bytes: &bytes,
            disk_path: Some(&disk),
        },
        &mut out,
    );
    assert!(out.findings.is_empty(), "{:?}", out.findings);
}

/// Editors on Windows start files with a byte-order mark: the module still parses, and
/// positions are those of the text without it.
#[test]
fn a_byte_order_mark_does_not_stop_the_module() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        "\u{feff}resource \"aws_s3_bucket_acl\" \"b\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n",
    );
    let found = scan(dir.path(), &["main.tf"]);
    let acl = found
        .iter()
        .find(|f| f.rule == "iac/s3-bucket-public-acl")
        .unwrap();
    assert_eq!(acl.location.start_line, 3);
}

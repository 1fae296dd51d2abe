//! `jobzero sbom`: every corpus lockfile of the formats read parses, and the SBOM validates
//! against the official CycloneDX 1.6 schema.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{corpus, jobzero, stderr, write_files};
use serde_json::Value;

fn validate(instance: &Value) -> Result<(), String> {
    let dir = corpus().join("schemas/cyclonedx-1.6");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    // The schema refers to its sub-schemas by their http ids: serve them from the corpus.
    for file in [
        "bom-1.6.schema.json",
        "spdx.schema.json",
        "jsf-0.82.schema.json",
    ] {
        let value: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        compiler
            .add_resource(&format!("http://cyclonedx.org/schema/{file}"), value)
            .map_err(|e| format!("{e:#}"))?;
    }
    let id = compiler
        .compile(
            "http://cyclonedx.org/schema/bom-1.6.schema.json",
            &mut schemas,
        )
        .map_err(|e| format!("{e:#}"))?;
    schemas.validate(instance, id).map_err(|e| format!("{e:#}"))
}

#[test]
fn corpus_lockfiles_make_a_valid_sbom() {
    let dir = tempfile::tempdir().unwrap();
    let out = jobzero(dir.path())
        .args(["sbom", "-o", "sbom.json", "--name", "corpus"])
        .arg(corpus().join("deps/lockfiles"))
        .output()
        .unwrap();
    // The corpus holds deliberately broken lockfiles: each is named with its line, the SBOM of
    // everything else is still written, and the exit code says the inventory is incomplete.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("locks-many-with-invalid/composer.lock:7:"),
        "{err}"
    );
    let bom: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("sbom.json")).unwrap())
            .unwrap();
    validate(&bom).unwrap();
    assert_eq!(bom["specVersion"], "1.6");
    let components = bom["components"].as_array().unwrap();
    assert!(components.len() > 5000, "{}", components.len());
    let purls: Vec<&str> = components
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    let mut sorted = purls.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(purls, sorted, "unique and sorted");
    for ecosystem in [
        "pkg:cargo/",
        "pkg:npm/",
        "pkg:pypi/",
        "pkg:golang/",
        "pkg:gem/",
        "pkg:composer/",
        "pkg:swift/",
        "pkg:nuget/",
        "pkg:hex/",
    ] {
        assert!(
            purls.iter().any(|p| p.starts_with(ecosystem)),
            "{ecosystem}"
        );
    }
    assert!(
        purls.iter().any(|p| p.starts_with("pkg:npm/%40")),
        "scoped npm packages"
    );
}

#[test]
fn formats_details_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "app/Cargo.lock",
                "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"serde\",\n]\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"ddc6f9cc94d67c0e21aaf7eda3a010fd3af78ebf6e096aa6e2e13c79749cce4f\"\n",
            ),
            (
                "web/package-lock.json",
                "{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"dependencies\": {\"@types/node\": \"^20\"}, \"devDependencies\": {\"jest\": \"^29\"}},\n    \"node_modules/@types/node\": {\"version\": \"20.11.5\", \"integrity\": \"sha512-pKvURIxJVi2CgRXROh/M6pJ/UrTVRZKX+LQ+QtqJI4vBNibkPcs43bCCSIkn7JBPtCBXRDmD6IWFF51QVRr+Yg==\"},\n    \"node_modules/jest\": {\"version\": \"29.7.0\", \"dev\": true},\n    \"node_modules/jest/node_modules/ms\": {\"version\": \"2.1.3\", \"dev\": true}\n  }\n}\n",
            ),
            ("py/requirements.txt", "-r base.txt\nDjango==4.2.1\n"),
            (
                "py/base.txt",
                "requests==2.31.0 --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f\n",
            ),
        ],
    );
    let out = jobzero(dir.path()).args(["sbom", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
    validate(&bom).unwrap();
    let find = |purl: &str| {
        bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["purl"] == purl)
            .unwrap_or_else(|| panic!("{purl} missing"))
            .clone()
    };
    let serde = find("pkg:cargo/serde@1.0.200");
    assert_eq!(serde["hashes"][0]["alg"], "SHA-256");
    assert!(
        serde["properties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "jobzero:direct" && p["value"] == "true")
    );
    let node = find("pkg:npm/%40types/node@20.11.5");
    assert_eq!(node["scope"], "required");
    assert_eq!(node["hashes"][0]["alg"], "SHA-512");
    assert_eq!(find("pkg:npm/jest@29.7.0")["scope"], "optional");
    find("pkg:npm/ms@2.1.3");
    find("pkg:pypi/django@4.2.1");
    find("pkg:pypi/requests@2.31.0");
    assert!(
        bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "app"),
        "workspace members are not packages"
    );
    let root = &bom["dependencies"][0];
    assert_eq!(root["ref"], bom["metadata"]["component"]["bom-ref"]);

    write_files(
        dir.path(),
        &[("bad/package-lock.json", "{\n  \"packages\": {\n")],
    );
    let out = jobzero(dir.path()).args(["sbom", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bad/package-lock.json:3: cannot parse package-lock.json"),
        "{}",
        stderr(&out)
    );
}

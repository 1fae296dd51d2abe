//! `jobzero where` over a directory of SBOMs written by `jobzero sbom`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{jobzero, stderr, stdout, write_files};

#[test]
fn finds_services_by_name_version_and_purl() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_files(
        d,
        &[
            (
                "billing/requirements.txt",
                "Django==4.2.1\nrequests==2.31.0\n",
            ),
            ("portal/requirements.txt", "Django==3.2.5\n"),
            (
                "web/package-lock.json",
                "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/@types/node\": {\"version\": \"20.11.5\"}}}",
            ),
        ],
    );
    std::fs::create_dir_all(d.join("sboms")).unwrap();
    for service in ["billing", "portal", "web"] {
        let out = jobzero(d)
            .args(["sbom", service, "--name", service, "-o"])
            .arg(format!("sboms/{service}.cdx.json"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let run = |q: &str| {
        jobzero(d)
            .args(["where", q, "--sbom", "sboms"])
            .output()
            .unwrap()
    };

    let all = run("django");
    assert_eq!(all.status.code(), Some(0));
    let text = stdout(&all);
    assert!(
        text.contains("billing\t4.2.1\tpkg:pypi/django@4.2.1"),
        "{text}"
    );
    assert!(text.contains("portal\t3.2.5"), "{text}");

    let exact = stdout(&run("Django@3.2.5"));
    assert!(
        exact.contains("portal") && !exact.contains("billing"),
        "{exact}"
    );

    let purl = stdout(&run("pkg:pypi/requests"));
    assert!(purl.contains("billing\t2.31.0"), "{purl}");

    let scoped = stdout(&run("@types/node@20.11.5"));
    assert!(scoped.contains("web"), "{scoped}");

    let none = run("log4j-core");
    assert_eq!(none.status.code(), Some(1));
    assert!(stdout(&none).contains("in none of the SBOMs"));

    // A directory that is not there is an error, not "not found".
    let missing = jobzero(d)
        .args(["where", "log4j-core", "--sbom", "no-such-dir"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no-such-dir"));
}

/// The two-step CI flow of docs/hub.md (`scan -o` then `upload`) keeps the SBOM inventory, so that
/// `jobzero where` finds the service's packages; on both stores.
fn two_step_upload_keeps_the_inventory(database: &str, dir: &std::path::Path) {
    write_files(
        dir,
        &[
            (
                "org.toml",
                "[[teams]]\nname = \"payments\"\n\n[[services]]\nname = \"checkout\"\nteam = \"payments\"\nexposure = \"internet\"\ndata_classification = \"internal\"\n",
            ),
            ("app/requirements.txt", "Django==4.2.1\nrequests==2.31.0\n"),
        ],
    );
    common::admin(dir, database, &["org", "apply", "org.toml"]);
    let token = common::admin(
        dir,
        database,
        &["token", "create", "--team", "payments", "--name", "ci"],
    )
    .trim()
    .to_owned();
    let server = common::Server::start(database);
    let scan = jobzero(&dir.join("app"))
        .args([
            "scan",
            "--format",
            "json",
            "-o",
            "../r.json",
            "--config",
            "/dev/null",
        ])
        .env("JOBZERO_ADVISORY_DB", dir.join("no-db"))
        .output()
        .unwrap();
    assert_eq!(scan.status.code(), Some(0), "{}", stderr(&scan));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(
        report["inventory"].as_array().map(Vec::len),
        Some(2),
        "{report}"
    );
    let hub = |cmd: &mut assert_cmd::Command| {
        cmd.env("JOBZERO_HUB_URL", &server.url)
            .env("JOBZERO_TOKEN", &token)
            .output()
            .unwrap()
    };
    let up = hub(jobzero(dir).args(["upload", "r.json", "--service", "checkout", "--complete"]));
    assert!(up.status.success(), "{}", stderr(&up));
    let found = hub(jobzero(dir).args(["where", "django@4.2.1"]));
    assert_eq!(found.status.code(), Some(0), "{}", stderr(&found));
    let text = stdout(&found);
    assert!(
        text.starts_with("checkout\tpayments\t4.2.1\tpkg:pypi/django@4.2.1\trequirements.txt"),
        "{text}"
    );
    let absent = hub(jobzero(dir).args(["where", "flask"]));
    assert_eq!(absent.status.code(), Some(1), "{}", stdout(&absent));
}

#[test]
fn scan_then_upload_keeps_the_inventory_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", tmp.path().join("hub.db").display());
    two_step_upload_keeps_the_inventory(&db, tmp.path());
}

#[test]
fn scan_then_upload_keeps_the_inventory_on_postgres() {
    let tmp = tempfile::tempdir().unwrap();
    let db = common::PgDb::create();
    two_step_upload_keeps_the_inventory(&db.url, tmp.path());
}

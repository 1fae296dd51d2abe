//! `jobzero db import|status` on the corpus advisories.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

mod common;

use common::{corpus, jobzero, stderr, stdout};

#[test]
fn import_then_status() {
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
    assert!(
        stdout(&out).contains("2666 records read: 2666 stored"),
        "{}",
        stdout(&out)
    );
    let again = jobzero(dir.path())
        .args(["db", "import", "--advisory-db"])
        .arg(&db)
        .arg(corpus().join("deps/advisories/ghsa-sample"))
        .output()
        .unwrap();
    assert!(
        stdout(&again).contains("0 stored, 5 unchanged"),
        "{}",
        stdout(&again)
    );

    let status = jobzero(dir.path())
        .args(["db", "status", "--advisory-db"])
        .arg(&db)
        .output()
        .unwrap();
    let text = stdout(&status);
    assert!(text.contains("PyPI") && text.contains("2661"), "{text}");
    assert!(text.contains("Maven") && text.contains("npm"), "{text}");

    let missing = jobzero(dir.path())
        .args(["db", "import", "--advisory-db"])
        .arg(&db)
        .arg("nowhere.zip")
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nowhere.zip"));
}

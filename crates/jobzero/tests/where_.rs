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
}

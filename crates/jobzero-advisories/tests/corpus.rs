//! Known answers from real advisories in `../shared/corpus/deps/advisories/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::PathBuf;

use jobzero_advisories::Database;

fn advisories() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/deps/advisories"
    ))
}

#[test]
fn import_is_idempotent_and_matching_uses_each_ecosystem_order() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path());
    let inputs = [
        advisories().join("ghsa-sample"),
        advisories().join("osv/PyPI.zip"),
        advisories().join("osv/Go.zip"),
    ];
    let first = db.import(&inputs).unwrap();
    assert!(first.read > 6900, "{first:?}");
    assert!(
        first.rejected.len() * 100 < first.read,
        "few rejected: {:?}",
        &first.rejected[..first.rejected.len().min(5)]
    );
    let again = db.import(&inputs).unwrap();
    assert_eq!(again.stored, 0, "re-import stores nothing new");

    let status = db.status().unwrap();
    let pypi = status.iter().find(|s| s.ecosystem == "PyPI").unwrap();
    assert!(pypi.advisories >= 2600);
    assert!(pypi.newest.starts_with("20"));
    // The Go database writes Go's zero time as `modified` in places: not the newest date.
    let go = status.iter().find(|s| s.ecosystem == "Go").unwrap();
    assert!(go.newest.starts_with("20"), "{}", go.newest);

    // Log4Shell: Maven ordering, three ranges.
    let maven = db.index("Maven").unwrap();
    let log4j = "org.apache.logging.log4j:log4j-core";
    let hits = maven.matches(log4j, "2.14.1");
    assert!(
        hits.iter()
            .any(|m| m.id == "GHSA-jfh8-c2jp-5v3q"
                && m.aliases.contains(&"CVE-2021-44228".to_owned())),
        "{hits:?}"
    );
    assert!(
        hits.iter()
            .find(|m| m.id == "GHSA-jfh8-c2jp-5v3q")
            .unwrap()
            .fixed
            .contains(&"2.15.0".to_owned())
    );
    assert!(
        maven
            .matches(log4j, "2.15.0")
            .iter()
            .all(|m| m.id != "GHSA-jfh8-c2jp-5v3q")
    );
    assert!(
        maven
            .matches(log4j, "2.12.2")
            .iter()
            .all(|m| m.id != "GHSA-jfh8-c2jp-5v3q")
    );
    assert!(
        maven
            .matches(log4j, "2.12.1")
            .iter()
            .any(|m| m.id == "GHSA-jfh8-c2jp-5v3q")
    );

    // lodash: npm semver.
    let npm = db.index("npm").unwrap();
    let ids: Vec<String> = npm
        .matches("lodash", "4.17.15")
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(
        ids.contains(&"GHSA-p6mc-m468-83gw".to_owned())
            && ids.contains(&"GHSA-35jh-r3h4-6jhm".to_owned()),
        "{ids:?}"
    );
    assert!(
        npm.matches("lodash", "4.17.21").is_empty(),
        "fixed version matches none"
    );
    assert!(
        npm.matches("minimist", "1.2.5")
            .iter()
            .any(|m| m.id == "GHSA-xvch-5gv4-984h")
    );
    assert!(npm.matches("minimist", "0.2.4").is_empty());

    // PyPI: PEP 440 and name normalisation.
    let pypi = db.index("PyPI").unwrap();
    assert!(
        pypi.matches("Django", "1.0")
            .iter()
            .any(|m| m.id == "PYSEC-2008-1")
    );
    assert!(
        pypi.matches("django", "1.1")
            .iter()
            .all(|m| m.id != "PYSEC-2008-1")
    );
    assert!(
        pypi.matches("trac", "0.10")
            .iter()
            .all(|m| m.id != "PYSEC-2005-1")
    );
    assert!(
        pypi.matches("trac", "0.9.6")
            .iter()
            .any(|m| m.id == "PYSEC-2005-1")
    );

    // One finding per vulnerability: a PYSEC record and a GHSA naming each other merge.
    let django = pypi.matches("django", "1.0");
    let mut seen = std::collections::BTreeSet::new();
    for m in &django {
        for name in std::iter::once(&m.id).chain(m.aliases.iter()) {
            assert!(seen.insert(name.clone()), "{name} appears in two matches");
        }
    }

    // Go: v-prefixed semver.
    let go = db.index("Go").unwrap();
    assert!(go.len() > 1000);
}

#[test]
fn bad_inputs_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), "{ not json").unwrap();
    std::fs::write(dir.path().join("other.json"), "{\"id\": \"X\"}").unwrap();
    let db = Database::open(dir.path().join("db"));
    let stats = db.import(&[dir.path().to_owned()]).unwrap();
    assert_eq!(stats.stored, 0);
    assert_eq!(stats.rejected.len(), 2);
    assert!(db.import(&[dir.path().join("missing")]).is_err());
}

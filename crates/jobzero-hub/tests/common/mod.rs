//! Test databases: a fresh SQLite file, or a fresh PostgreSQL database created on the local
//! server (`JOBZERO_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432/test`) and
//! dropped afterwards; and a clock the tests move.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    dead_code,
    reason = "test code"
)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jobzero_hub::Store;
use jobzero_hub::auth::{Principal, Role};
use jobzero_hub::org::OrgFile;
use sqlx::Connection;

pub const START: i64 = 1_780_000_000;

pub struct TestDb {
    pub url: String,
    pub clock: Arc<AtomicI64>,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn store(&self) -> Store {
        let clock = self.clock.clone();
        Store::open_with_clock(&self.url, Arc::new(move || clock.load(Ordering::SeqCst)))
            .await
            .unwrap()
    }

    pub fn advance_days(&self, days: i64) {
        self.clock.fetch_add(days * 86_400, Ordering::SeqCst);
    }

    pub fn now(&self) -> i64 {
        self.clock.load(Ordering::SeqCst)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_pg.take() {
            // Drop runs outside any runtime guarantee: use a thread with its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut c)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

pub fn pg_admin_url() -> String {
    std::env::var("JOBZERO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("hub.db").display());
    TestDb {
        url,
        clock: Arc::new(AtomicI64::new(START)),
        _dir: Some(dir),
        drop_pg: None,
    }
}

pub async fn postgres() -> TestDb {
    let admin = pg_admin_url();
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin} (set JOBZERO_TEST_POSTGRES): {e}"));
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).unwrap();
    let name = format!(
        "jobzero_test_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    TestDb {
        url: format!("{base}/{name}"),
        clock: Arc::new(AtomicI64::new(START)),
        _dir: None,
        drop_pg: Some((admin, name)),
    }
}

pub const ORG: &str = r#"
[[teams]]
name = "payments"
escalation = [
  { role = "owner", contact = "pay-oncall@example.com", webhook = "http://127.0.0.1:9/owner" },
  { role = "secondary", contact = "pay-lead@example.com" },
]

[[teams]]
name = "search"
escalation = [{ role = "owner", contact = "search@example.com" }]

[[services]]
name = "checkout"
team = "payments"
exposure = "internet"
data_classification = "confidential"
repositories = ["github.com/example/checkout"]

[[services]]
name = "indexer"
team = "search"
exposure = "internal"
data_classification = "internal"
"#;

pub async fn with_org(db: &TestDb) -> Store {
    let store = db.store().await;
    let org = OrgFile::parse(ORG, "org.toml").unwrap();
    jobzero_hub::org::apply(&store, &org, "test").await.unwrap();
    store
}

pub fn security() -> Principal {
    Principal {
        token_id: "sec".into(),
        name: "security".into(),
        role: Role::Security,
    }
}

pub fn team(name: &str) -> Principal {
    Principal {
        token_id: name.into(),
        name: name.into(),
        role: Role::Team { team: name.into() },
    }
}

/// A finding of a JSON report, as `jobzero scan --format json` writes it.
pub fn finding(
    fingerprint: &str,
    family: &str,
    severity: &str,
    expectation: &str,
) -> serde_json::Value {
    serde_json::json!({
        "rule": format!("{family}/test-rule"),
        "code": "TST001",
        "family": family,
        "title": format!("test finding {fingerprint}"),
        "message": "something is wrong",
        "severity": severity,
        "effective_severity": severity,
        "confidence": "high",
        "expectation": expectation,
        "location": {"path": "src/main.rs", "start_line": 3, "start_column": 1, "end_line": 3,
                     "end_column": 5, "snippet": "x = 1"},
        "fingerprint": fingerprint,
        "references": [],
        "remediation": "fix it",
    })
}

pub fn upload(
    service: &str,
    complete: bool,
    families: &[&str],
    findings: Vec<serde_json::Value>,
) -> jobzero_hub::findings::UploadRequest {
    serde_json::from_value(serde_json::json!({
        "service": service,
        "commit": "abc123",
        "complete": complete,
        "report": {
            "schema_version": "1.1.0",
            "findings": findings,
            "summary": {"findings": 0, "families": families},
        },
    }))
    .unwrap()
}

/// Runs each named `async fn(TestDb)` on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    super::$name(super::common::sqlite().await).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    super::$name(super::common::postgres().await).await;
                }
            }
        )*
    };
}

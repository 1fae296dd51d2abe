//! Escalation on both stores, against a webhook receiver on 127.0.0.1 and the test clock:
//! each step once, in order, signed; retries with backoff; nothing lost when a hub process
//! dies between the outbox write and the delivery; two processes deliver each step once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "test code"
)]

mod common;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{TestDb, finding, team, upload};
use jobzero_hub::escalation::{self, signature};
use jobzero_hub::org::{self, OrgFile};
use serde_json::Value;

const SECRET: &[u8] = b"webhook-secret";

/// A delivery as received: its id header, its signature header and its body.
type Hit = (String, Option<String>, Value);

#[derive(Clone, Default)]
struct Receiver {
    hits: Arc<Mutex<Vec<Hit>>>,
    status: Arc<AtomicU16>,
}

async fn receive(
    State(r): State<Receiver>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let status = r.status.load(Ordering::SeqCst);
    if status == 200 {
        let delivery = headers
            .get("x-jobzero-delivery")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let sig = headers
            .get("x-jobzero-signature")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        assert_eq!(sig, signature(SECRET, &body), "signature of the exact body");
        r.hits
            .lock()
            .unwrap()
            .push((delivery, sig, serde_json::from_slice(&body).unwrap()));
    }
    StatusCode::from_u16(status).unwrap()
}

async fn receiver() -> (Receiver, String) {
    let r = Receiver::default();
    r.status.store(200, Ordering::SeqCst);
    let app = axum::Router::new()
        .route("/hook/{who}", post(receive))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (r, format!("http://{addr}/hook"))
}

fn org_with_hooks(base: &str) -> OrgFile {
    let text = format!(
        r#"
[[teams]]
name = "payments"
escalation = [
  {{ role = "owner", contact = "pay-oncall@example.com", webhook = "{base}/owner" }},
  {{ role = "secondary", contact = "pay-lead@example.com", webhook = "{base}/secondary" }},
  {{ role = "security-lead", contact = "sec-lead@example.com", webhook = "{base}/security-lead" }},
  {{ role = "ciso", contact = "ciso@example.com" }},
]

[[services]]
name = "checkout"
team = "payments"
exposure = "internal"
data_classification = "internal"
"#
    );
    OrgFile::parse(&text, "org.toml").unwrap()
}

on_both!(
    steps_go_out_once_in_order_and_retry,
    crash_between_outbox_and_delivery_and_two_processes,
    a_dead_process_claim_is_taken_over_after_its_lease,
    a_pass_queues_a_bounded_batch,
);

fn steps(r: &Receiver) -> Vec<String> {
    r.hits
        .lock()
        .unwrap()
        .iter()
        .map(|(_, _, v)| v["step"].as_str().unwrap().to_owned())
        .collect()
}

async fn steps_go_out_once_in_order_and_retry(db: TestDb) {
    let (r, base) = receiver().await;
    let store = db.store().await;
    org::apply(&store, &org_with_hooks(&base), "test")
        .await
        .unwrap();
    // High on an internal service: due in 30 days.
    findings::upload(
        &store,
        &team("payments"),
        &upload(
            "checkout",
            true,
            &["iac"],
            vec![finding("e1", "iac", "high", "JZ-MFA")],
        ),
    )
    .await
    .unwrap();
    let tick = || escalation::tick(&store, "p1", Some(SECRET));
    assert_eq!(tick().await.unwrap().queued, 0);
    db.advance_days(28);
    let t = tick().await.unwrap();
    assert_eq!((t.queued, t.sent), (1, 1));
    assert_eq!(
        tick().await.unwrap(),
        escalation::TickOutcome::default(),
        "never twice"
    );
    db.advance_days(2);
    assert_eq!(tick().await.unwrap().sent, 1);
    assert_eq!(steps(&r), ["reminder", "owner"]);
    let hit = r.hits.lock().unwrap()[1].2.clone();
    assert_eq!(hit["contact"], "pay-oncall@example.com");
    assert_eq!(hit["finding"]["service"], "checkout");

    // The secondary's webhook is down: retried with backoff, delivered once it is back.
    r.status.store(503, Ordering::SeqCst);
    db.advance_days(2);
    let t = tick().await.unwrap();
    assert_eq!((t.queued, t.sent, t.retried), (1, 0, 1));
    assert_eq!(tick().await.unwrap().retried, 0, "not before its backoff");
    r.status.store(200, Ordering::SeqCst);
    db.clock.fetch_add(61, Ordering::SeqCst);
    assert_eq!(tick().await.unwrap().sent, 1);
    // Two weeks late: the security lead (no reminder any more), then the CISO, who has no
    // webhook (recorded, not sent anywhere).
    db.advance_days(12);
    let t = tick().await.unwrap();
    assert_eq!((t.queued, t.sent), (2, 2));
    assert_eq!(
        steps(&r),
        ["reminder", "owner", "secondary", "security-lead"]
    );
    let outbox = escalation::list(&store).await.unwrap();
    assert_eq!(outbox.len(), 5);
    assert!(outbox.iter().all(|e| e["state"] == "sent"));
    assert_eq!(outbox[2]["attempts"], 2);

    // Fixed: nothing more. Every step is an audit event, and the chain holds.
    findings::upload(
        &store,
        &team("payments"),
        &upload("checkout", true, &["iac"], vec![]),
    )
    .await
    .unwrap();
    db.advance_days(30);
    assert_eq!(tick().await.unwrap(), escalation::TickOutcome::default());
    let events = jobzero_hub::audit::events(&store, 0, 10_000).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "escalation.queued")
            .count(),
        5
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "escalation.sent")
            .count(),
        5
    );
    assert_eq!(
        jobzero_hub::audit::verify(&store).await.unwrap().broken,
        None
    );
    store.close().await;
}

use jobzero_hub::findings;

async fn crash_between_outbox_and_delivery_and_two_processes(db: TestDb) {
    let (r, base) = receiver().await;
    let store = db.store().await;
    org::apply(&store, &org_with_hooks(&base), "test")
        .await
        .unwrap();
    let many: Vec<_> = (0..12)
        .map(|i| finding(&format!("c{i}"), "iac", "high", "JZ-MFA"))
        .collect();
    findings::upload(
        &store,
        &team("payments"),
        &upload("checkout", true, &["iac"], many),
    )
    .await
    .unwrap();
    // Two days late: the owner and the secondary steps (no reminder any more).
    db.advance_days(32);
    // The outbox is written, then the process dies before delivering.
    assert_eq!(escalation::queue(&store).await.unwrap(), 24);
    store.close().await;
    drop(store);
    assert!(r.hits.lock().unwrap().is_empty());

    // Restarted as two processes that deliver at the same time.
    let a = db.store().await;
    let b = db.store().await;
    let (x, y) = tokio::join!(
        escalation::tick(&a, "a", Some(SECRET)),
        escalation::tick(&b, "b", Some(SECRET))
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert_eq!(x.sent + y.sent, 24);
    assert_eq!(x.queued + y.queued, 0);
    let hits = r.hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 24, "exactly one delivery each");
    let mut ids: Vec<&String> = hits.iter().map(|(d, _, _)| d).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 24);

    // A claim whose process died mid-delivery is taken over once its lease ends.
    let c = db.store().await;
    db.advance_days(1);
    sqlx_claim_all(&db).await;
    assert_eq!(
        escalation::deliver(&c, "c", Some(SECRET))
            .await
            .unwrap()
            .sent,
        0
    );
    db.clock
        .fetch_add(escalation::LEASE_SECONDS + 1, Ordering::SeqCst);
    assert_eq!(
        escalation::deliver(&c, "c", Some(SECRET))
            .await
            .unwrap()
            .sent,
        0,
        "sent rows stay sent"
    );
    a.close().await;
    b.close().await;
    c.close().await;
}

async fn a_dead_process_claim_is_taken_over_after_its_lease(db: TestDb) {
    let (r, base) = receiver().await;
    let store = db.store().await;
    org::apply(&store, &org_with_hooks(&base), "test")
        .await
        .unwrap();
    let some: Vec<_> = (0..3)
        .map(|i| finding(&format!("d{i}"), "iac", "high", "JZ-MFA"))
        .collect();
    findings::upload(
        &store,
        &team("payments"),
        &upload("checkout", true, &["iac"], some),
    )
    .await
    .unwrap();
    db.advance_days(32);
    assert_eq!(escalation::queue(&store).await.unwrap(), 6);
    // A process claimed every row, then died while posting.
    let now = db.clock.load(Ordering::SeqCst);
    run_sql(
        &db,
        &format!(
            "UPDATE escalations SET state = 'sending', lease_owner = 'dead', lease_until = {}",
            now + escalation::LEASE_SECONDS
        ),
    )
    .await;
    let sent = |o: escalation::TickOutcome| o.sent;
    assert_eq!(
        sent(
            escalation::deliver(&store, "b", Some(SECRET))
                .await
                .unwrap()
        ),
        0,
        "a live lease is respected"
    );
    db.clock
        .fetch_add(escalation::LEASE_SECONDS + 1, Ordering::SeqCst);
    assert_eq!(
        sent(
            escalation::deliver(&store, "b", Some(SECRET))
                .await
                .unwrap()
        ),
        6,
        "an expired lease is taken over"
    );
    assert_eq!(
        sent(
            escalation::deliver(&store, "c", Some(SECRET))
                .await
                .unwrap()
        ),
        0
    );
    let hits = r.hits.lock().unwrap().clone();
    let mut ids: Vec<&String> = hits.iter().map(|(d, _, _)| d).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((hits.len(), ids.len()), (6, 6), "each row once");
    store.close().await;
}

async fn run_sql(db: &TestDb, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let url = db.url.replacen("sqlite:", "sqlite://", 1);
    let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
}

/// Marks every row as claimed by a process that then vanished (after they were all sent, this
/// must change nothing: a sent row is never claimed again).
async fn sqlx_claim_all(db: &TestDb) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let url = db.url.replacen("sqlite:", "sqlite://", 1);
    let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query("UPDATE escalations SET lease_owner = 'dead' WHERE state = 'sent'")
        .execute(&mut c)
        .await
        .unwrap();
}

async fn a_pass_queues_a_bounded_batch(db: TestDb) {
    let (_, base) = receiver().await;
    let store = db.store().await;
    org::apply(&store, &org_with_hooks(&base), "test")
        .await
        .unwrap();
    let n = escalation::QUEUE_BATCH + 100;
    let many: Vec<_> = (0..n)
        .map(|i| finding(&format!("b{i}"), "iac", "high", "JZ-MFA"))
        .collect();
    findings::upload(
        &store,
        &team("payments"),
        &upload("checkout", true, &["iac"], many),
    )
    .await
    .unwrap();
    // At the deadline: the owner step of every finding is due, the reminder no longer.
    db.advance_days(30);
    assert_eq!(
        escalation::queue(&store).await.unwrap(),
        escalation::QUEUE_BATCH
    );
    assert_eq!(escalation::queue(&store).await.unwrap(), 100);
    assert_eq!(escalation::queue(&store).await.unwrap(), 0);
    store.close().await;
}

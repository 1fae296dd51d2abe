//! Escalation: findings approaching and past their deadline walk the owning team's chain.
//!
//! Steps, relative to a finding's due date (days configurable in the policy): a `reminder` to
//! the owner before it (not sent once the deadline has passed), `owner` at it, then
//! `secondary`, `security-lead` and `ciso` as the delay grows. Each step of each deadline
//! cycle (a reopened finding starts a new one) is written once to an outbox in the
//! transaction that decides it is due (unique per finding, cycle and step), and is an audit
//! event. Delivery happens afterwards: a process claims a row with a conditional update
//! (only one of several hub processes succeeds), posts the JSON payload to the step's
//! webhook with an HMAC-SHA256 signature, and marks it sent, or retries with exponential
//! backoff. A claim is a lease: a process that dies mid-delivery leaves a row another
//! process picks up when the lease ends, so nothing is lost across crashes and restarts.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::Row;

use crate::audit::Chain;
use crate::error::HubError;
use crate::org::Escalation;
pub use crate::policy::EscalationDays;
use crate::store::Store;

impl EscalationDays {
    /// `(step, role in the chain, seconds from the deadline)`, in order.
    fn steps(&self) -> [(&'static str, &'static str, i64); 5] {
        let d = |days: u32| i64::from(days) * 86_400;
        [
            ("reminder", "owner", -d(self.reminder_before)),
            ("owner", "owner", 0),
            ("secondary", "secondary", d(self.secondary_after)),
            (
                "security-lead",
                "security-lead",
                d(self.security_lead_after),
            ),
            ("ciso", "ciso", d(self.ciso_after)),
        ]
    }
}

/// Steps queued per step kind and pass, so one pass stays short however many findings are
/// overdue (the most overdue first; the rest follow in the next passes).
pub const QUEUE_BATCH: usize = 2_000;

/// Attempts before a delivery is given up (and recorded as failed).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claim lasts before another process may take the row over.
pub const LEASE_SECONDS: i64 = 120;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TickOutcome {
    /// Steps newly written to the outbox.
    pub queued: usize,
    /// Deliveries that succeeded (or steps without a webhook, recorded only).
    pub sent: usize,
    /// Deliveries that failed and will be retried.
    pub retried: usize,
    /// Deliveries given up after the last attempt.
    pub failed: usize,
}

/// One pass: queue the steps that became due, then deliver what is pending.
pub async fn tick(store: &Store, me: &str, secret: Option<&[u8]>) -> Result<TickOutcome, HubError> {
    let queued = queue(store).await?;
    let mut outcome = deliver(store, me, secret).await?;
    outcome.queued = queued;
    Ok(outcome)
}

/// Writes every step that is due and not yet in the outbox; returns how many.
pub async fn queue(store: &Store) -> Result<usize, HubError> {
    let policy = store.policy().await?;
    let now = store.now();
    let mut tx = store.pool.begin().await?;
    let mut chain = Chain::lock(&mut tx, now).await?;
    let mut queued = 0;
    for (step, role, offset) in policy.escalation.steps() {
        // The reminder is pointless once the deadline has passed.
        let reminder_guard = if step == "reminder" {
            " AND f.due_at > $2"
        } else {
            ""
        };
        let sql = format!(
            "SELECT f.id, f.opened_at, f.due_at, f.service, s.team, t.escalation, f.rule, f.title, \
             f.effective_severity, f.path, f.line FROM findings f \
             JOIN services s ON s.name = f.service JOIN teams t ON t.name = s.team \
             WHERE f.state = 'open' AND f.due_at IS NOT NULL AND f.due_at + $1 <= $2{reminder_guard} \
             AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.finding_id = f.id AND e.cycle = f.opened_at AND e.step = $3) \
             ORDER BY f.due_at, f.id LIMIT {QUEUE_BATCH}"
        );
        let rows = sqlx::query(&sql)
            .bind(offset)
            .bind(now)
            .bind(step)
            .fetch_all(&mut *tx)
            .await?;
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let cycle: i64 = r.try_get("opened_at")?;
            let due_at: i64 = r.try_get("due_at")?;
            let escalation: String = r.try_get("escalation")?;
            let chain_steps: Vec<Escalation> = serde_json::from_str(&escalation)
                .map_err(|e| HubError::Corrupt(format!("escalation chain: {e}")))?;
            let target = chain_steps.iter().find(|e| e.role == role);
            let (contact, webhook) = match target {
                Some(t) => (t.contact.clone(), t.webhook.clone()),
                // A chain without this role: the step is recorded, nobody is paged.
                None => (String::new(), None),
            };
            let payload = json!({
                "event": "jobzero.escalation",
                "step": step,
                "role": role,
                "contact": contact,
                "finding": {
                    "id": id,
                    "service": r.try_get::<String, _>("service")?,
                    "team": r.try_get::<String, _>("team")?,
                    "rule": r.try_get::<String, _>("rule")?,
                    "title": r.try_get::<String, _>("title")?,
                    "effective_severity": r.try_get::<String, _>("effective_severity")?,
                    "path": r.try_get::<String, _>("path")?,
                    "line": r.try_get::<Option<i64>, _>("line")?,
                    "due_at": due_at,
                    "overdue_days": (now - due_at).max(0) / 86_400,
                },
            });
            let inserted = sqlx::query(
                "INSERT INTO escalations (finding_id, cycle, step, contact, webhook, payload, state, attempts, \
                 next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) \
                 ON CONFLICT (finding_id, cycle, step) DO NOTHING",
            )
            .bind(id)
            .bind(cycle)
            .bind(step)
            .bind(&contact)
            .bind(webhook.as_deref())
            .bind(payload.to_string())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 1 {
                chain
                    .append(
                        &mut tx,
                        "hub",
                        "escalation.queued",
                        &format!("finding:{id}"),
                        None,
                        Some(&json!({"step": step, "contact": contact, "due_at": due_at})),
                    )
                    .await?;
                queued += 1;
            }
        }
    }
    chain.finish(&mut tx).await?;
    tx.commit().await?;
    failpoint("escalation-after-queue", queued > 0);
    Ok(queued)
}

/// Ends the process when `JOBZERO_FAILPOINT` names `point` and `armed` holds: the tests kill
/// a real `hub serve` between two steps of the outbox this way, to prove nothing is lost or
/// sent twice across a crash. Never set in production.
fn failpoint(point: &str, armed: bool) {
    if armed && std::env::var_os("JOBZERO_FAILPOINT").is_some_and(|v| v == point) {
        eprintln!("jobzero: failpoint {point}: exiting");
        std::process::exit(86);
    }
}

struct Pending {
    id: i64,
    finding: i64,
    step: String,
    webhook: Option<String>,
    payload: String,
    attempts: i64,
}

/// Delivers pending steps (this process's share, claimed one by one).
pub async fn deliver(
    store: &Store,
    me: &str,
    secret: Option<&[u8]>,
) -> Result<TickOutcome, HubError> {
    let mut outcome = TickOutcome::default();
    let now = store.now();
    let rows = sqlx::query(
        "SELECT id, finding_id, step, webhook, payload, attempts FROM escalations \
         WHERE (state = 'pending' AND next_attempt_at <= $1) OR (state = 'sending' AND lease_until < $1) \
         ORDER BY id LIMIT 200",
    )
    .bind(now)
    .fetch_all(&store.pool)
    .await?;
    let pending: Vec<Pending> = rows
        .iter()
        .map(|r| {
            Ok(Pending {
                id: r.try_get("id")?,
                finding: r.try_get("finding_id")?,
                step: r.try_get("step")?,
                webhook: r.try_get("webhook")?,
                payload: r.try_get("payload")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect::<Result<_, HubError>>()?;
    for p in pending {
        // The lease starts now, not when the batch was read: posting earlier rows of the
        // batch may take a while, and a lease already expired would let another process
        // take the row while this one posts it.
        let now = store.now();
        let claimed = sqlx::query(
            "UPDATE escalations SET state = 'sending', lease_until = $1, lease_owner = $2 \
             WHERE id = $3 AND ((state = 'pending' AND next_attempt_at <= $4) OR (state = 'sending' AND lease_until < $4))",
        )
        .bind(now + LEASE_SECONDS)
        .bind(me)
        .bind(p.id)
        .bind(now)
        .execute(&store.pool)
        .await?;
        if claimed.rows_affected() != 1 {
            // Another process has it.
            continue;
        }
        let result = match &p.webhook {
            Some(url) => post(url, p.id, &p.payload, secret).await,
            None => Ok(()),
        };
        let now = store.now();
        let mut tx = store.pool.begin().await?;
        let mut chain = Chain::lock(&mut tx, now).await?;
        let subject = format!("finding:{}", p.finding);
        match result {
            Ok(()) => {
                let marked = sqlx::query(
                    "UPDATE escalations SET state = 'sent', sent_at = $1, attempts = attempts + 1, lease_until = NULL \
                     WHERE id = $2 AND state = 'sending' AND lease_owner = $3",
                )
                .bind(now)
                .bind(p.id)
                .bind(me)
                .execute(&mut *tx)
                .await?;
                if marked.rows_affected() != 1 {
                    // The lease ran out and another process owns the row now: it records
                    // the outcome of its own attempt.
                    tx.rollback().await?;
                    continue;
                }
                chain
                    .append(
                        &mut tx,
                        "hub",
                        "escalation.sent",
                        &subject,
                        None,
                        Some(&json!({"step": p.step, "delivery": p.id, "webhook": p.webhook.is_some()})),
                    )
                    .await?;
                outcome.sent += 1;
            }
            Err(why) => {
                let attempts = p.attempts + 1;
                if attempts >= MAX_ATTEMPTS {
                    let marked = sqlx::query(
                        "UPDATE escalations SET state = 'failed', attempts = $1, last_error = $2, lease_until = NULL \
                         WHERE id = $3 AND state = 'sending' AND lease_owner = $4",
                    )
                    .bind(attempts)
                    .bind(&why)
                    .bind(p.id)
                    .bind(me)
                    .execute(&mut *tx)
                    .await?;
                    if marked.rows_affected() != 1 {
                        tx.rollback().await?;
                        continue;
                    }
                    chain
                        .append(
                            &mut tx,
                            "hub",
                            "escalation.failed",
                            &subject,
                            None,
                            Some(&json!({"step": p.step, "delivery": p.id, "attempts": attempts, "error": why})),
                        )
                        .await?;
                    outcome.failed += 1;
                } else {
                    // 1, 2, 4 … minutes, at most an hour.
                    let backoff = (60i64 << (attempts - 1).clamp(0, 6)).min(3_600);
                    let marked = sqlx::query(
                        "UPDATE escalations SET state = 'pending', attempts = $1, last_error = $2, next_attempt_at = $3, \
                         lease_until = NULL WHERE id = $4 AND state = 'sending' AND lease_owner = $5",
                    )
                    .bind(attempts)
                    .bind(&why)
                    .bind(now + backoff)
                    .bind(p.id)
                    .bind(me)
                    .execute(&mut *tx)
                    .await?;
                    if marked.rows_affected() != 1 {
                        tx.rollback().await?;
                        continue;
                    }
                    outcome.retried += 1;
                }
            }
        }
        chain.finish(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(outcome)
}

/// The signature header's value: `sha256=` and the hex HMAC-SHA256 of the body.
pub fn signature(secret: &[u8], body: &[u8]) -> Option<String> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).ok()?;
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    Some(format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

async fn post(
    url: &str,
    delivery: i64,
    payload: &str,
    secret: Option<&[u8]>,
) -> Result<(), String> {
    let url = url.to_owned();
    let body = payload.to_owned();
    let sig = secret.and_then(|s| signature(s, body.as_bytes()));
    tokio::task::spawn_blocking(move || {
        let agent = ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(10)))
                .build(),
        );
        let mut req = agent
            .post(&url)
            .header("Content-Type", "application/json")
            .header("X-Jobzero-Delivery", &delivery.to_string());
        if let Some(sig) = &sig {
            req = req.header("X-Jobzero-Signature", sig);
        }
        match req.send(body.as_bytes()) {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("the webhook answered {}", r.status())),
            Err(e) => Err(format!("cannot reach the webhook: {e}")),
        }
    })
    .await
    .map_err(|e| format!("delivery task: {e}"))?
}

/// The outbox, for inspection (the team dashboard page, tests).
pub async fn list(store: &Store) -> Result<Vec<Value>, HubError> {
    let rows = sqlx::query(
        "SELECT id, finding_id, cycle, step, contact, webhook, state, attempts, last_error, created_at, sent_at \
         FROM escalations ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(json!({
                "id": r.try_get::<i64, _>("id")?,
                "finding": r.try_get::<i64, _>("finding_id")?,
                "cycle": r.try_get::<i64, _>("cycle")?,
                "step": r.try_get::<String, _>("step")?,
                "contact": r.try_get::<String, _>("contact")?,
                "webhook": r.try_get::<Option<String>, _>("webhook")?,
                "state": r.try_get::<String, _>("state")?,
                "attempts": r.try_get::<i64, _>("attempts")?,
                "last_error": r.try_get::<Option<String>, _>("last_error")?,
                "created_at": r.try_get::<i64, _>("created_at")?,
                "sent_at": r.try_get::<Option<i64>, _>("sent_at")?,
            }))
        })
        .collect()
}
/// Runs [`tick`] every `every` until the task is aborted; a failed pass is logged and the
/// next one tries again.
pub fn spawn_loop(
    store: Store,
    process_name: String,
    secret: Option<Vec<u8>>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        loop {
            interval.tick().await;
            if let Err(e) = tick(&store, &process_name, secret.as_deref()).await {
                eprintln!("jobzero hub: escalation pass failed: {e}");
            }
        }
    })
}

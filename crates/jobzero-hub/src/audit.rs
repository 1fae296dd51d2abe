//! The audit log: every change is an append-only event linked by hash to the one before.
//!
//! An event's hash is SHA-256 over the previous hash and the event's fields, serialised as
//! one JSON array (so field boundaries cannot be forged). Writers lock the chain's head row
//! first, so events of concurrent transactions — on one SQLite file or on several hub
//! processes sharing PostgreSQL — form one line. `verify` recomputes the whole chain and
//! names the first event that does not match.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::error::HubError;
use crate::store::Store;

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One change, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// Who: `token:<id> (<name>)`, `org-apply`, `hub` for automatic changes.
    pub actor: String,
    /// What: `finding.opened`, `finding.resolved`, `gate.decided`, `auth.denied`…
    pub action: String,
    /// What it was done to: `finding:42`, `service:checkout`…
    pub subject: String,
    /// The state before, when there was one.
    pub before: Option<Value>,
    /// The state after.
    pub after: Option<Value>,
    /// The previous event's hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

#[allow(
    clippy::too_many_arguments,
    reason = "the fields of one event, hashed together"
)]
fn digest(
    prev: &str,
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let canonical = serde_json::json!([prev, seq, at, actor, action, subject, before, after]);
    let mut h = Sha256::new();
    h.update(canonical.to_string().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The chain's end, held for the length of one write transaction.
pub(crate) struct Chain {
    seq: i64,
    hash: String,
    at: i64,
}

impl Chain {
    /// Locks the chain for this transaction (the first write of every write transaction, so
    /// SQLite takes its write lock up front and PostgreSQL serialises on the head row).
    pub(crate) async fn lock(conn: &mut AnyConnection, at: i64) -> Result<Chain, HubError> {
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
            .execute(&mut *conn)
            .await?;
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
        Ok(Chain {
            seq: row.try_get("seq")?,
            hash: row.try_get("hash")?,
            at,
        })
    }

    /// Appends an event.
    pub(crate) async fn append(
        &mut self,
        conn: &mut AnyConnection,
        actor: &str,
        action: &str,
        subject: &str,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> Result<(), HubError> {
        let seq = self.seq + 1;
        let before = before.map(Value::to_string);
        let after = after.map(Value::to_string);
        let hash = digest(
            &self.hash,
            seq,
            self.at,
            actor,
            action,
            subject,
            before.as_deref(),
            after.as_deref(),
        );
        sqlx::query(
            "INSERT INTO audit_events (seq, at, actor, action, subject, before_state, after_state, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(seq)
        .bind(self.at)
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(before)
        .bind(after)
        .bind(&self.hash)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
        self.seq = seq;
        self.hash = hash;
        Ok(())
    }

    /// Records the new end of the chain.
    pub(crate) async fn finish(self, conn: &mut AnyConnection) -> Result<(), HubError> {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(self.seq)
            .bind(&self.hash)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// Appends one event in a transaction of its own (denials, decisions).
pub async fn record(
    store: &Store,
    actor: &str,
    action: &str,
    subject: &str,
    after: Option<&Value>,
) -> Result<(), HubError> {
    let mut tx = store.pool.begin().await?;
    let mut chain = Chain::lock(&mut tx, store.now()).await?;
    chain
        .append(&mut tx, actor, action, subject, None, after)
        .await?;
    chain.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Events checked.
    pub events: i64,
    /// The first event whose link or hash is wrong, and why.
    pub broken: Option<(i64, String)>,
}

/// Recomputes every event's hash in order and checks the links and the head.
pub async fn verify(store: &Store) -> Result<Verification, HubError> {
    let mut conn = store.pool.acquire().await?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut after_seq = 0i64;
    let page = 5_000i64;
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, before_state, after_state, prev_hash, hash \
             FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(page)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let seq: i64 = row.try_get("seq")?;
            let broken = |why: String| Verification {
                events: seq - 1,
                broken: Some((seq, why)),
            };
            if seq != expected_seq {
                return Ok(broken(format!(
                    "event {expected_seq} is missing (found {seq} next)"
                )));
            }
            let stored_prev: String = row.try_get("prev_hash")?;
            if stored_prev != prev {
                return Ok(broken(
                    "its previous-hash link does not match the event before".to_owned(),
                ));
            }
            let before: Option<String> = row.try_get("before_state")?;
            let after: Option<String> = row.try_get("after_state")?;
            let hash = digest(
                &prev,
                seq,
                row.try_get("at")?,
                &row.try_get::<String, _>("actor")?,
                &row.try_get::<String, _>("action")?,
                &row.try_get::<String, _>("subject")?,
                before.as_deref(),
                after.as_deref(),
            );
            let stored: String = row.try_get("hash")?;
            if stored != hash {
                return Ok(broken(
                    "its contents do not match its hash (the event was altered)".to_owned(),
                ));
            }
            prev = hash;
            expected_seq += 1;
            after_seq = seq;
        }
    }
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let (head_seq, head_hash): (i64, String) = (head.try_get("seq")?, head.try_get("hash")?);
    if head_seq != after_seq || head_hash != prev {
        return Ok(Verification {
            events: after_seq,
            broken: Some((
                after_seq + 1,
                format!(
                    "the chain ends at event {after_seq} but its head records event {head_seq}: events were removed from the end"
                ),
            )),
        });
    }
    Ok(Verification {
        events: after_seq,
        broken: None,
    })
}

/// Events in order, from `after` (exclusive), at most `limit`.
pub async fn events(store: &Store, after: i64, limit: i64) -> Result<Vec<Event>, HubError> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, before_state, after_state, prev_hash, hash \
         FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&store.pool)
    .await?;
    rows.iter()
        .map(|row| {
            let parse = |col: &str| -> Result<Option<Value>, HubError> {
                let text: Option<String> = row.try_get(col)?;
                text.map(|t| {
                    serde_json::from_str(&t).map_err(|e| HubError::Corrupt(format!("{col}: {e}")))
                })
                .transpose()
            };
            Ok(Event {
                seq: row.try_get("seq")?,
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                action: row.try_get("action")?,
                subject: row.try_get("subject")?,
                before: parse("before_state")?,
                after: parse("after_state")?,
                prev_hash: row.try_get("prev_hash")?,
                hash: row.try_get("hash")?,
            })
        })
        .collect()
}

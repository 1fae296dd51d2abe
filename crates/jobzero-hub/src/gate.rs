//! The launch gate: "a service does not launch while a known security issue is open".
//!
//! No-go while the service has an open, non-accepted finding at or above the policy's
//! threshold, or any open finding past its deadline. Every decision is stored and is an
//! audit event (launches blocked is a weekly number).

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::Chain;
use crate::auth::Principal;
use crate::error::HubError;
use crate::findings::expire_acceptances;
use crate::policy::rank;
use crate::store::Store;

/// A finding that blocks the launch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocking {
    /// Finding id.
    pub id: i64,
    /// Rule id.
    pub rule: String,
    /// Title.
    pub title: String,
    /// Effective severity.
    pub effective_severity: String,
    /// Where.
    pub path: String,
    /// Line.
    pub line: Option<i64>,
    /// The owning team.
    pub owner: String,
    /// The team's first contact in its escalation chain.
    pub owner_contact: Option<String>,
    /// Deadline (Unix seconds).
    pub due_at: Option<i64>,
    /// Why it blocks: its severity, its deadline, or both.
    pub reasons: Vec<String>,
}

/// A go/no-go answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The service.
    pub service: String,
    /// The release asked about.
    pub release: Option<String>,
    /// `true`: go.
    pub go: bool,
    /// The policy's threshold.
    pub threshold: String,
    /// What blocks it, by id.
    pub blocking: Vec<Blocking>,
    /// When (Unix seconds).
    pub decided_at: i64,
}

/// The findings that block `service` now: open (or accepted past the acceptance's end) at or
/// above the threshold, or open past their deadline.
async fn evaluate(
    conn: &mut sqlx::AnyConnection,
    policy: &crate::policy::Policy,
    service: &str,
    team: &str,
    contact: Option<&str>,
    now: i64,
) -> Result<Vec<Blocking>, HubError> {
    let threshold = rank(policy.gate_threshold);
    let rows = sqlx::query(
        "SELECT id, rule, title, effective_severity, severity_rank, path, line, due_at FROM findings \
         WHERE service = $1 AND (state = 'open' OR (state = 'accepted' AND accepted_until <= $3)) \
         AND (severity_rank >= $2 OR (due_at IS NOT NULL AND due_at < $3)) \
         ORDER BY severity_rank DESC, id",
    )
    .bind(service)
    .bind(threshold)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let mut blocking = Vec::new();
    for r in &rows {
        let severity: String = r.try_get("effective_severity")?;
        let due_at: Option<i64> = r.try_get("due_at")?;
        let mut reasons = Vec::new();
        if r.try_get::<i64, _>("severity_rank")? >= threshold {
            reasons.push(format!(
                "{severity} is at or above the gate threshold ({})",
                policy.gate_threshold.as_str()
            ));
        }
        if due_at.is_some_and(|d| d < now) {
            reasons.push("past its deadline".to_owned());
        }
        blocking.push(Blocking {
            id: r.try_get("id")?,
            rule: r.try_get("rule")?,
            title: r.try_get("title")?,
            effective_severity: severity,
            path: r.try_get("path")?,
            line: r.try_get("line")?,
            owner: team.to_owned(),
            owner_contact: contact.map(str::to_owned),
            due_at,
            reasons,
        });
    }
    Ok(blocking)
}

/// The team owning `service`, and the first contact of its escalation chain.
async fn owner(
    conn: &mut sqlx::AnyConnection,
    service: &str,
) -> Result<(String, Option<String>), HubError> {
    let row = sqlx::query(
        "SELECT s.team, t.escalation FROM services s JOIN teams t ON t.name = s.team WHERE s.name = $1",
    )
    .bind(service)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| HubError::NotFound(format!("no service `{service}`")))?;
    let escalation: String = row.try_get("escalation")?;
    let contact = serde_json::from_str::<Vec<crate::org::Escalation>>(&escalation)
        .ok()
        .and_then(|chain| chain.into_iter().next().map(|e| e.contact));
    Ok((row.try_get("team")?, contact))
}

/// What the gate would answer now, without recording a decision (the dashboard's view).
pub async fn preview(store: &Store, service: &str) -> Result<Decision, HubError> {
    let policy = store.policy().await?;
    let now = store.now();
    let mut conn = store.pool.acquire().await?;
    let (team, contact) = owner(&mut conn, service).await?;
    let blocking = evaluate(&mut conn, &policy, service, &team, contact.as_deref(), now).await?;
    Ok(Decision {
        service: service.to_owned(),
        release: None,
        go: blocking.is_empty(),
        threshold: policy.gate_threshold.as_str().to_owned(),
        blocking,
        decided_at: now,
    })
}

/// Decides and records whether `service` may launch.
pub async fn decide(
    store: &Store,
    principal: &Principal,
    service: &str,
    release: Option<&str>,
) -> Result<Decision, HubError> {
    let policy = store.policy().await?;
    let now = store.now();
    let mut tx = store.pool.begin().await?;
    let mut chain = Chain::lock(&mut tx, now).await?;
    let (team, contact) = owner(&mut tx, service).await?;
    if !principal.may_use_team(&team) {
        return Err(HubError::Forbidden(format!(
            "this token may not ask the gate of service `{service}` (team {team})"
        )));
    }
    expire_acceptances(&mut tx, &mut chain, now, Some(service)).await?;
    let blocking = evaluate(&mut tx, &policy, service, &team, contact.as_deref(), now).await?;
    let go = blocking.is_empty();
    sqlx::query(
        "INSERT INTO gate_decisions (service, release_name, go, blocking, actor, decided_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(service)
    .bind(release)
    .bind(i64::from(go))
    .bind(i64::try_from(blocking.len()).unwrap_or(i64::MAX))
    .bind(principal.actor())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    chain
        .append(
            &mut tx,
            &principal.actor(),
            "gate.decided",
            &format!("service:{service}"),
            None,
            Some(&json!({"release": release, "go": go,
                "blocking": blocking.iter().map(|b| b.id).collect::<Vec<_>>()})),
        )
        .await?;
    chain.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(Decision {
        service: service.to_owned(),
        release: release.map(str::to_owned),
        go,
        threshold: policy.gate_threshold.as_str().to_owned(),
        blocking,
        decided_at: now,
    })
}

//! Findings: uploads with deduplication and the automatic lifecycle, listings, risk
//! acceptance and its expiry.
//!
//! States: `open` → `resolved` when a complete upload covering the finding's family no
//! longer reports it; `resolved` → `open` again, counted as a recurrence, when it comes back;
//! `open` → `accepted` by the security role until a date, after which it is `open` again (its
//! deadline unchanged). Every transition is an audit event; nothing is deleted.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use jobzero_core::redact::Redactor;
use jobzero_core::{Family, Finding, Report, Severity};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AnyConnection, Row};

use crate::audit::Chain;
use crate::auth::Principal;
use crate::error::HubError;
use crate::org::{classification_of, exposure_of};
use crate::policy::{Policy, rank};
use crate::store::Store;

/// `POST /api/v1/uploads`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// The service the scan belongs to.
    pub service: String,
    /// The commit scanned.
    #[serde(default)]
    pub commit: Option<String>,
    /// Whether the scan covered the whole service for its families, so findings it no longer
    /// reports are resolved.
    #[serde(default)]
    pub complete: bool,
    /// The JSON report of `jobzero scan --format json`, inventory included.
    pub report: Report,
    /// The packages of the scanned lockfiles, as clients before report schema 1.2.0 sent
    /// them beside the report; the report's own `inventory` is used when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<Vec<crate::inventory::InventoryItem>>,
}

impl UploadRequest {
    /// The packages to store as the service's inventory.
    fn inventory(&self) -> Option<&[crate::inventory::InventoryItem]> {
        if self.report.inventory.is_empty() {
            self.inventory.as_deref()
        } else {
            Some(&self.report.inventory)
        }
    }
}

/// What an upload changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadOutcome {
    /// The upload's id.
    pub upload: i64,
    /// Findings seen for the first time.
    pub opened: usize,
    /// Findings already open or accepted, seen again.
    pub seen: usize,
    /// Resolved findings that came back.
    pub reopened: usize,
    /// Open or accepted findings the complete upload no longer reports.
    pub resolved: usize,
}

/// Whether a finding carries a secret, whose text the hub never stores.
fn is_secret(f: &Finding) -> bool {
    f.family == Family::Secrets || f.code == "SARIF002" || f.rule.starts_with("secret/")
}

pub(crate) struct ServiceContext {
    team: String,
    exposure: Option<jobzero_core::config::Exposure>,
    classification: Option<jobzero_core::config::DataClassification>,
}

pub(crate) async fn service_context(
    conn: &mut AnyConnection,
    service: &str,
) -> Result<ServiceContext, HubError> {
    let row =
        sqlx::query("SELECT team, exposure, data_classification FROM services WHERE name = $1")
            .bind(service)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| {
                HubError::NotFound(format!(
                    "no service `{service}`: declare it in org.toml and run `jobzero hub org apply`"
                ))
            })?;
    Ok(ServiceContext {
        team: row.try_get("team")?,
        exposure: exposure_of(&row.try_get::<String, _>("exposure")?),
        classification: classification_of(&row.try_get::<String, _>("data_classification")?),
    })
}

/// The team owning `service`, for authorisation before any write.
pub async fn team_of(store: &Store, service: &str) -> Result<String, HubError> {
    let mut conn = store.pool.acquire().await?;
    Ok(service_context(&mut conn, service).await?.team)
}

/// Reopens accepted findings whose acceptance has expired (of one service, or all).
pub(crate) async fn expire_acceptances(
    conn: &mut AnyConnection,
    chain: &mut Chain,
    now: i64,
    service: Option<&str>,
) -> Result<usize, HubError> {
    let rows = sqlx::query(
        "SELECT id, accepted_by, accepted_reason, accepted_until FROM findings \
         WHERE state = 'accepted' AND accepted_until <= $1 AND ($2 IS NULL OR service = $2) ORDER BY id",
    )
    .bind(now)
    .bind(service)
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let before = json!({
            "state": "accepted",
            "accepted_by": row.try_get::<Option<String>, _>("accepted_by")?,
            "accepted_reason": row.try_get::<Option<String>, _>("accepted_reason")?,
            "accepted_until": row.try_get::<Option<i64>, _>("accepted_until")?,
        });
        sqlx::query("UPDATE findings SET state = 'open' WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        chain
            .append(
                conn,
                "hub",
                "finding.acceptance_expired",
                &format!("finding:{id}"),
                Some(&before),
                Some(&json!({"state": "open"})),
            )
            .await?;
    }
    Ok(rows.len())
}

/// One set of findings for one service, from an upload or an advisory re-match.
pub(crate) struct Batch<'a> {
    pub(crate) actor: &'a str,
    pub(crate) service: &'a str,
    pub(crate) commit: Option<&'a str>,
    /// Resolve open findings of the covered families that the batch does not report.
    pub(crate) complete: bool,
    pub(crate) covered: &'a BTreeSet<&'a str>,
    pub(crate) findings: &'a [Finding],
    pub(crate) policy: &'a Policy,
    pub(crate) ctx: &'a ServiceContext,
    pub(crate) now: i64,
}

/// Deduplicates, opens, reopens and (for complete batches) resolves, with an event for each
/// transition; inside the caller's transaction.
pub(crate) async fn ingest(
    conn: &mut AnyConnection,
    chain: &mut Chain,
    batch: &Batch<'_>,
) -> Result<UploadOutcome, HubError> {
    let mut existing: HashMap<String, Existing> = HashMap::new();
    for row in sqlx::query("SELECT id, fingerprint, state, family FROM findings WHERE service = $1")
        .bind(batch.service)
        .fetch_all(&mut *conn)
        .await?
    {
        existing.insert(
            row.try_get("fingerprint")?,
            Existing {
                id: row.try_get("id")?,
                state: row.try_get("state")?,
                family: row.try_get("family")?,
            },
        );
    }

    let mut outcome = UploadOutcome::default();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for f in batch.findings {
        if !reported.insert(f.fingerprint.as_str()) {
            continue;
        }
        let (effective, reason) = batch.policy.judge(
            f.severity,
            &f.expectation,
            batch.ctx.exposure,
            batch.ctx.classification,
        );
        let secret = is_secret(f);
        let message = if secret { &f.title } else { &f.message };
        let snippet = if secret {
            None
        } else {
            f.location.snippet.as_deref()
        };
        let line = (f.location.start_line > 0).then(|| i64::from(f.location.start_line));
        let purl = f.package.as_ref().map(|p| p.purl.as_str());
        let advisory = f.advisory.as_ref().map(|a| a.id.as_str());
        match existing.get(&f.fingerprint) {
            None => {
                let due = batch.policy.due(effective, batch.now);
                let row = sqlx::query(
                    "INSERT INTO findings (service, fingerprint, family, rule, code, title, message, expectation, \
                     severity, effective_severity, severity_rank, severity_reason, path, line, route, snippet, purl, \
                     advisory, state, recurrences, first_seen, last_seen, opened_at, due_at, last_commit) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'open', 0, \
                     $19, $19, $19, $20, $21) RETURNING id",
                )
                .bind(batch.service)
                .bind(&f.fingerprint)
                .bind(f.family.as_str())
                .bind(&f.rule)
                .bind(&f.code)
                .bind(&f.title)
                .bind(message)
                .bind(&f.expectation)
                .bind(f.severity.as_str())
                .bind(effective.as_str())
                .bind(rank(effective))
                .bind(&reason)
                .bind(&f.location.path)
                .bind(line)
                .bind(f.location.route.as_deref())
                .bind(snippet)
                .bind(purl)
                .bind(advisory)
                .bind(batch.now)
                .bind(due)
                .bind(batch.commit)
                .fetch_one(&mut *conn)
                .await?;
                let id: i64 = row.try_get("id")?;
                chain
                    .append(
                        conn,
                        batch.actor,
                        "finding.opened",
                        &format!("finding:{id}"),
                        None,
                        Some(&json!({"service": batch.service, "rule": f.rule, "fingerprint": f.fingerprint,
                            "effective_severity": effective.as_str(), "due_at": due, "state": "open"})),
                    )
                    .await?;
                outcome.opened += 1;
            }
            Some(e) => {
                let reopen = e.state == "resolved";
                let due = batch.policy.due(effective, batch.now);
                sqlx::query(
                    "UPDATE findings SET last_seen = $1, last_commit = COALESCE($2, last_commit), title = $3, message = $4, \
                     severity = $5, effective_severity = $6, severity_rank = $7, severity_reason = $8, \
                     path = $9, line = $10, route = $11, snippet = $12, \
                     state = CASE WHEN state = 'resolved' THEN 'open' ELSE state END, \
                     recurrences = CASE WHEN state = 'resolved' THEN recurrences + 1 ELSE recurrences END, \
                     opened_at = CASE WHEN state = 'resolved' THEN $1 ELSE opened_at END, \
                     due_at = CASE WHEN state = 'resolved' THEN $13 ELSE due_at END, \
                     resolved_at = CASE WHEN state = 'resolved' THEN NULL ELSE resolved_at END \
                     WHERE id = $14",
                )
                .bind(batch.now)
                .bind(batch.commit)
                .bind(&f.title)
                .bind(message)
                .bind(f.severity.as_str())
                .bind(effective.as_str())
                .bind(rank(effective))
                .bind(&reason)
                .bind(&f.location.path)
                .bind(line)
                .bind(f.location.route.as_deref())
                .bind(snippet)
                .bind(due)
                .bind(e.id)
                .execute(&mut *conn)
                .await?;
                if reopen {
                    chain
                        .append(
                            conn,
                            batch.actor,
                            "finding.reopened",
                            &format!("finding:{}", e.id),
                            Some(&json!({"state": "resolved"})),
                            Some(&json!({"state": "open", "recurrence": true, "due_at": due})),
                        )
                        .await?;
                    outcome.reopened += 1;
                } else {
                    outcome.seen += 1;
                }
            }
        }
    }
    if batch.complete {
        let mut gone: Vec<(&String, &Existing)> = existing
            .iter()
            .filter(|(fp, e)| {
                (e.state == "open" || e.state == "accepted")
                    && batch.covered.contains(e.family.as_str())
                    && !reported.contains(fp.as_str())
            })
            .collect();
        gone.sort_by_key(|(_, e)| e.id);
        for (_, e) in gone {
            sqlx::query("UPDATE findings SET state = 'resolved', resolved_at = $1 WHERE id = $2")
                .bind(batch.now)
                .bind(e.id)
                .execute(&mut *conn)
                .await?;
            chain
                .append(
                    conn,
                    batch.actor,
                    "finding.resolved",
                    &format!("finding:{}", e.id),
                    Some(&json!({"state": e.state})),
                    Some(&json!({"state": "resolved", "commit": batch.commit})),
                )
                .await?;
            outcome.resolved += 1;
        }
    }
    Ok(outcome)
}

struct Existing {
    id: i64,
    state: String,
    family: String,
}

/// The findings with every secret the detectors recognise in their texts redacted: a report
/// written by another client than jobzero's, or by an older one, must not put a secret in a
/// row.
fn redacted(findings: &[Finding]) -> Vec<Finding> {
    let redactor = Redactor::new([], Some(&jobzero_secrets::SPOTTER));
    let clean = |path: &str, s: &mut String| {
        if let Cow::Owned(r) = redactor.text(path, s) {
            *s = r;
        }
    };
    findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let path = f.location.path.clone();
            clean(&path, &mut f.title);
            clean(&path, &mut f.message);
            if let Some(s) = &mut f.location.snippet {
                clean(&path, s);
            }
            if let Some(r) = &mut f.location.route {
                clean(&path, r);
            }
            f
        })
        .collect()
}

/// Ingests an upload in one transaction: a failure changes nothing.
pub async fn upload(
    store: &Store,
    principal: &Principal,
    request: &UploadRequest,
) -> Result<UploadOutcome, HubError> {
    for f in &request.report.findings {
        if f.fingerprint.is_empty() || f.fingerprint.len() > 128 {
            return Err(HubError::BadRequest(format!(
                "finding `{}` at {} has no valid fingerprint",
                f.rule, f.location.path
            )));
        }
    }
    let covered: BTreeSet<&str> = request
        .report
        .summary
        .families
        .iter()
        .map(|f| f.as_str())
        .collect();
    // Before the transaction: the detectors' work must not hold the write lock.
    let findings = redacted(&request.report.findings);
    let policy: Policy = store.policy().await?;
    let now = store.now();
    let actor = principal.actor();
    let mut tx = store.pool.begin().await?;
    let mut chain = Chain::lock(&mut tx, now).await?;
    let ctx = service_context(&mut tx, &request.service).await?;
    if !principal.may_use_team(&ctx.team) {
        return Err(HubError::Forbidden(format!(
            "this token may not upload for service `{}` (team {})",
            request.service, ctx.team
        )));
    }
    expire_acceptances(&mut tx, &mut chain, now, Some(&request.service)).await?;

    let mut outcome = ingest(
        &mut tx,
        &mut chain,
        &Batch {
            actor: &actor,
            service: &request.service,
            commit: request.commit.as_deref(),
            complete: request.complete,
            covered: &covered,
            findings: &findings,
            policy: &policy,
            ctx: &ctx,
            now,
        },
    )
    .await?;
    if let Some(items) = request.inventory()
        && request.complete
        && covered.contains("deps")
    {
        crate::inventory::replace(
            &mut tx,
            &mut chain,
            &actor,
            &request.service,
            items,
            request.commit.as_deref(),
            now,
        )
        .await?;
    }
    let reported: BTreeSet<&str> = request
        .report
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let families = serde_json::to_string(&covered).unwrap_or_default();
    let row = sqlx::query(
        "INSERT INTO uploads (service, commit_sha, complete, families, findings, actor, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&request.service)
    .bind(request.commit.as_deref())
    .bind(i64::from(request.complete))
    .bind(&families)
    .bind(i64::try_from(reported.len()).unwrap_or(i64::MAX))
    .bind(&actor)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    outcome.upload = row.try_get("id")?;
    chain
        .append(
            &mut tx,
            &actor,
            "upload.received",
            &format!("upload:{}", outcome.upload),
            None,
            Some(&json!({"service": request.service, "commit": request.commit, "complete": request.complete,
                "families": covered, "findings": reported.len(), "opened": outcome.opened,
                "reopened": outcome.reopened, "resolved": outcome.resolved})),
        )
        .await?;
    chain.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// A finding as the hub keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFinding {
    /// Id.
    pub id: i64,
    /// Service.
    pub service: String,
    /// Owning team.
    pub team: String,
    /// Fingerprint.
    pub fingerprint: String,
    /// Family.
    pub family: String,
    /// Rule id.
    pub rule: String,
    /// Rule code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Message (a secret's is its title).
    pub message: String,
    /// Expectation.
    pub expectation: String,
    /// Base severity.
    pub severity: String,
    /// Effective severity for the service.
    pub effective_severity: String,
    /// Why it differs from the base severity.
    pub severity_reason: String,
    /// Path.
    pub path: String,
    /// Line.
    pub line: Option<i64>,
    /// Package URL.
    pub purl: Option<String>,
    /// Advisory id.
    pub advisory: Option<String>,
    /// `open`, `accepted` or `resolved`.
    pub state: String,
    /// How many times it came back after being resolved.
    pub recurrences: i64,
    /// First seen (Unix seconds).
    pub first_seen: i64,
    /// Last seen.
    pub last_seen: i64,
    /// Resolved at.
    pub resolved_at: Option<i64>,
    /// Deadline.
    pub due_at: Option<i64>,
    /// Open past its deadline.
    pub overdue: bool,
    /// Who accepted the risk.
    pub accepted_by: Option<String>,
    /// Why.
    pub accepted_reason: Option<String>,
    /// Until when.
    pub accepted_until: Option<i64>,
}

/// Filters of a listing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filter {
    /// One service.
    pub service: Option<String>,
    /// One team.
    pub team: Option<String>,
    /// One state.
    pub state: Option<String>,
    /// At or above this effective severity.
    pub severity: Option<Severity>,
    /// Only findings open past their deadline.
    #[serde(default)]
    pub overdue: bool,
    /// Ids after this one (paging).
    pub after: Option<i64>,
    /// At most this many (default 1000, at most 10000).
    pub limit: Option<i64>,
}

const SELECT_FINDINGS: &str = "SELECT f.id, f.service, s.team, f.fingerprint, f.family, f.rule, f.code, f.title, \
    f.message, f.expectation, f.severity, f.effective_severity, f.severity_reason, f.path, f.line, f.purl, \
    f.advisory, f.state, f.recurrences, f.first_seen, f.last_seen, f.resolved_at, f.due_at, f.accepted_by, \
    f.accepted_reason, f.accepted_until FROM findings f JOIN services s ON s.name = f.service";

fn stored(row: &sqlx::any::AnyRow, now: i64) -> Result<StoredFinding, HubError> {
    let state: String = row.try_get("state")?;
    let due_at: Option<i64> = row.try_get("due_at")?;
    Ok(StoredFinding {
        id: row.try_get("id")?,
        service: row.try_get("service")?,
        team: row.try_get("team")?,
        fingerprint: row.try_get("fingerprint")?,
        family: row.try_get("family")?,
        rule: row.try_get("rule")?,
        code: row.try_get("code")?,
        title: row.try_get("title")?,
        message: row.try_get("message")?,
        expectation: row.try_get("expectation")?,
        severity: row.try_get("severity")?,
        effective_severity: row.try_get("effective_severity")?,
        severity_reason: row.try_get("severity_reason")?,
        path: row.try_get("path")?,
        line: row.try_get("line")?,
        purl: row.try_get("purl")?,
        advisory: row.try_get("advisory")?,
        overdue: state == "open" && due_at.is_some_and(|d| d < now),
        state,
        recurrences: row.try_get("recurrences")?,
        first_seen: row.try_get("first_seen")?,
        last_seen: row.try_get("last_seen")?,
        resolved_at: row.try_get("resolved_at")?,
        due_at,
        accepted_by: row.try_get("accepted_by")?,
        accepted_reason: row.try_get("accepted_reason")?,
        accepted_until: row.try_get("accepted_until")?,
    })
}

/// Findings matching `filter`, by id; a team token sees only its team's.
pub async fn list(
    store: &Store,
    principal: &Principal,
    filter: &Filter,
) -> Result<Vec<StoredFinding>, HubError> {
    let now = store.now();
    let team = match &principal.role {
        crate::auth::Role::Security => filter.team.clone(),
        crate::auth::Role::Team { team } => {
            if filter.team.as_ref().is_some_and(|t| t != team) {
                return Err(HubError::Forbidden(format!(
                    "this token may only read team {team}"
                )));
            }
            Some(team.clone())
        }
    };
    let limit = filter.limit.unwrap_or(1000).clamp(1, 10_000);
    // Only the filters given become conditions: `($1 IS NULL OR …)` would keep both planners
    // from using the indexes.
    enum Param {
        Text(String),
        Int(i64),
    }
    let mut conditions = vec!["f.id > $1".to_owned()];
    let mut params = vec![Param::Int(filter.after.unwrap_or(0))];
    let mut add = |sql: &str, p: Param| {
        params.push(p);
        conditions.push(sql.replace('?', &format!("${}", params.len())));
    };
    if let Some(service) = &filter.service {
        add("f.service = ?", Param::Text(service.clone()));
    }
    if let Some(team) = &team {
        add("s.team = ?", Param::Text(team.clone()));
    }
    if let Some(state) = &filter.state {
        add("f.state = ?", Param::Text(state.clone()));
    }
    if let Some(severity) = filter.severity {
        add("f.severity_rank >= ?", Param::Int(rank(severity)));
    }
    if filter.overdue {
        add(
            "f.state = 'open' AND f.due_at IS NOT NULL AND f.due_at < ?",
            Param::Int(now),
        );
    }
    params.push(Param::Int(limit));
    let sql = format!(
        "{SELECT_FINDINGS} WHERE {} ORDER BY f.id LIMIT ${}",
        conditions.join(" AND "),
        params.len()
    );
    let mut query = sqlx::query(&sql);
    for p in params {
        query = match p {
            Param::Text(t) => query.bind(t),
            Param::Int(i) => query.bind(i),
        };
    }
    let rows = query.fetch_all(&store.pool).await?;
    rows.iter().map(|r| stored(r, now)).collect()
}

/// One finding by id.
pub async fn get(store: &Store, id: i64) -> Result<StoredFinding, HubError> {
    let row = sqlx::query(&format!("{SELECT_FINDINGS} WHERE f.id = $1"))
        .bind(id)
        .fetch_optional(&store.pool)
        .await?
        .ok_or_else(|| HubError::NotFound(format!("no finding {id}")))?;
    stored(&row, store.now())
}

/// `POST /api/v1/findings/{id}/accept`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// Why the risk is accepted.
    pub reason: String,
    /// Until when (Unix seconds); after it the finding reopens.
    pub until: i64,
}

/// Accepts the risk of an open finding (the security role only).
pub async fn accept(
    store: &Store,
    principal: &Principal,
    id: i64,
    acceptance: &Acceptance,
) -> Result<StoredFinding, HubError> {
    if !principal.is_security() {
        return Err(HubError::Forbidden(
            "only the security role may accept a risk".to_owned(),
        ));
    }
    let now = store.now();
    if acceptance.reason.trim().is_empty() {
        return Err(HubError::BadRequest(
            "an acceptance needs a reason".to_owned(),
        ));
    }
    if acceptance.until <= now {
        return Err(HubError::BadRequest(
            "an acceptance must expire in the future".to_owned(),
        ));
    }
    let mut tx = store.pool.begin().await?;
    let mut chain = Chain::lock(&mut tx, now).await?;
    let row = sqlx::query("SELECT state FROM findings WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| HubError::NotFound(format!("no finding {id}")))?;
    let state: String = row.try_get("state")?;
    if state != "open" {
        return Err(HubError::BadRequest(format!(
            "finding {id} is {state}: only open findings can be accepted"
        )));
    }
    sqlx::query(
        "UPDATE findings SET state = 'accepted', accepted_by = $1, accepted_reason = $2, accepted_until = $3 WHERE id = $4",
    )
    .bind(principal.actor())
    .bind(acceptance.reason.trim())
    .bind(acceptance.until)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    chain
        .append(
            &mut tx,
            &principal.actor(),
            "finding.accepted",
            &format!("finding:{id}"),
            Some(&json!({"state": "open"})),
            Some(&json!({"state": "accepted", "reason": acceptance.reason.trim(), "until": acceptance.until})),
        )
        .await?;
    chain.finish(&mut tx).await?;
    tx.commit().await?;
    get(store, id).await
}

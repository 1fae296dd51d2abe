//! OSV advisories kept by the hub, and the re-match of every stored inventory against them:
//! the day an advisory lands, services already shipping the package get a finding (with the
//! fingerprint their next scan will report, so the two meet) without anyone rescanning.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use jobzero_advisories::Index;
use jobzero_deps::model::{Ecosystem, Package, Scope};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::Row;

use crate::audit::Chain;
use crate::error::HubError;
use crate::findings::{Batch, ingest, service_context};
use crate::store::Store;
use jobzero_core::Finding;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    /// Records read.
    pub read: usize,
    /// New or newer records stored.
    pub stored: usize,
    /// Records the hub already had at that modification.
    pub unchanged: usize,
    /// Inputs that were not OSV records, with why.
    pub rejected: Vec<(String, String)>,
    /// Findings opened by the re-match.
    pub opened: usize,
    /// Resolved findings the re-match reopened.
    pub reopened: usize,
}

/// Imports OSV records (files, directories, `all.zip` archives) and re-matches the stored
/// inventories of the ecosystems that changed.
pub async fn import(
    store: &Store,
    inputs: &[PathBuf],
    actor: &str,
) -> Result<ImportOutcome, HubError> {
    let inputs = inputs.to_vec();
    let (by_ecosystem, stats) =
        tokio::task::spawn_blocking(move || jobzero_advisories::read_inputs(&inputs))
            .await
            .map_err(|e| HubError::BadRequest(format!("reading advisories: {e}")))?
            .map_err(|e| HubError::BadRequest(e.to_string()))?;
    let mut outcome = ImportOutcome {
        read: stats.read,
        rejected: stats.rejected,
        ..ImportOutcome::default()
    };
    let now = store.now();
    let mut changed: BTreeSet<String> = BTreeSet::new();
    let mut tx = store.pool.begin().await?;
    let mut chain = Chain::lock(&mut tx, now).await?;
    for (ecosystem, records) in &by_ecosystem {
        for record in records {
            let Some(id) = record.get("id").and_then(Value::as_str) else {
                continue;
            };
            let modified = record.get("modified").and_then(Value::as_str).unwrap_or("");
            let stored: Option<String> =
                sqlx::query("SELECT modified FROM advisories WHERE ecosystem = $1 AND id = $2")
                    .bind(ecosystem)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get("modified"))
                    .transpose()?;
            if stored.as_deref().is_some_and(|s| s >= modified) {
                outcome.unchanged += 1;
                continue;
            }
            sqlx::query(
                "INSERT INTO advisories (id, ecosystem, modified, record, imported_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (ecosystem, id) DO UPDATE SET modified = excluded.modified, record = excluded.record, \
                 imported_at = excluded.imported_at",
            )
            .bind(id)
            .bind(ecosystem)
            .bind(modified)
            .bind(record.to_string())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            outcome.stored += 1;
            changed.insert(ecosystem.clone());
        }
    }
    if outcome.stored > 0 {
        chain
            .append(
                &mut tx,
                actor,
                "advisories.imported",
                "advisories",
                None,
                Some(
                    &json!({"stored": outcome.stored, "unchanged": outcome.unchanged,
                    "ecosystems": changed}),
                ),
            )
            .await?;
    }
    chain.finish(&mut tx).await?;
    tx.commit().await?;
    for ecosystem in &changed {
        let (opened, reopened) = rematch(store, ecosystem, actor).await?;
        outcome.opened += opened;
        outcome.reopened += reopened;
    }
    Ok(outcome)
}

/// Matches every present inventory of `ecosystem` against the hub's advisories; returns the
/// findings opened and reopened. One transaction per service.
pub async fn rematch(
    store: &Store,
    ecosystem: &str,
    actor: &str,
) -> Result<(usize, usize), HubError> {
    let Some(eco) = Ecosystem::from_osv(ecosystem) else {
        return Ok((0, 0));
    };
    let records: Vec<Value> = sqlx::query("SELECT record FROM advisories WHERE ecosystem = $1")
        .bind(ecosystem)
        .fetch_all(&store.pool)
        .await?
        .iter()
        .filter_map(|r| r.try_get::<String, _>("record").ok())
        .filter_map(|t| serde_json::from_str(&t).ok())
        .collect();
    let index = Index::from_records(ecosystem, records);
    let rows = sqlx::query(
        "SELECT service, purl, name, version, direct, scope, lockfile, line FROM inventory \
         WHERE ecosystem = $1 AND present = 1 ORDER BY service, lockfile, purl",
    )
    .bind(ecosystem)
    .fetch_all(&store.pool)
    .await?;
    let mut by_service: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for r in &rows {
        let package = Package {
            ecosystem: eco,
            name: r.try_get("name")?,
            version: r.try_get("version")?,
            purl: r.try_get("purl")?,
            direct: r.try_get::<Option<i64>, _>("direct")?.map(|d| d != 0),
            scope: match r.try_get::<Option<String>, _>("scope")?.as_deref() {
                Some("dev") => Some(Scope::Dev),
                Some("runtime") => Some(Scope::Runtime),
                _ => None,
            },
            line: u32::try_from(r.try_get::<i64, _>("line")?).unwrap_or(0),
            hashes: Vec::new(),
            dependencies: Vec::new(),
        };
        let lockfile: String = r.try_get("lockfile")?;
        let findings = jobzero_deps::scanner::vulnerability_findings(&lockfile, &package, &index);
        if findings.is_empty() {
            continue;
        }
        let list = by_service.entry(r.try_get("service")?).or_default();
        list.extend(findings);
    }
    let policy = store.policy().await?;
    let covered: BTreeSet<&str> = ["deps"].into_iter().collect();
    let (mut opened, mut reopened) = (0, 0);
    for (service, findings) in by_service {
        let now = store.now();
        let mut tx = store.pool.begin().await?;
        let mut chain = Chain::lock(&mut tx, now).await?;
        let ctx = service_context(&mut tx, &service).await?;
        let out = ingest(
            &mut tx,
            &mut chain,
            &Batch {
                actor,
                service: &service,
                commit: None,
                complete: false,
                covered: &covered,
                findings: &findings,
                policy: &policy,
                ctx: &ctx,
                now,
            },
        )
        .await?;
        chain.finish(&mut tx).await?;
        tx.commit().await?;
        opened += out.opened;
        reopened += out.reopened;
    }
    Ok((opened, reopened))
}

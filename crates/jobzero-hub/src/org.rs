//! The organisation: teams with their escalation chains, services with their exposure and
//! data classification, and the policy; applied idempotently from `org.toml`.

use std::collections::BTreeSet;

use jobzero_core::config::{DataClassification, Exposure};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;

use crate::audit::Chain;
use crate::error::HubError;
use crate::policy::Policy;
use crate::store::Store;

/// A step of a team's escalation chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// `owner`, `secondary`, `security-lead`, `ciso` (the order of the chain).
    pub role: String,
    /// Who is paged (an address or on-call alias).
    pub contact: String,
    /// Where escalations are delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
}

/// A team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Unique name.
    pub name: String,
    /// The escalation chain, first step first.
    #[serde(default)]
    pub escalation: Vec<Escalation>,
}

/// A service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Unique name, the one uploads and the gate use.
    pub name: String,
    /// The owning team.
    pub team: String,
    /// `internet` or `internal`.
    pub exposure: Exposure,
    /// `public`, `internal`, `confidential` or `restricted`.
    pub data_classification: DataClassification,
    /// Repositories whose scans belong to the service.
    #[serde(default)]
    pub repositories: Vec<String>,
}

/// The contents of `org.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgFile {
    /// Teams.
    #[serde(default)]
    pub teams: Vec<Team>,
    /// Services.
    #[serde(default)]
    pub services: Vec<Service>,
    /// The policy; absent keeps the defaults.
    #[serde(default)]
    pub policy: Option<Policy>,
}

impl OrgFile {
    /// Parses and checks `org.toml` text (`path` names it in errors, with line and column).
    pub fn parse(text: &str, path: &str) -> Result<OrgFile, HubError> {
        let org: OrgFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(String::new(), |s| {
                let before = text.get(..s.start).unwrap_or("");
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, str::len) + 1;
                format!(":{line}:{column}")
            });
            HubError::BadRequest(format!("{path}{at}: {}", e.message()))
        })?;
        let mut teams = BTreeSet::new();
        for t in &org.teams {
            if t.name.trim().is_empty() {
                return Err(HubError::BadRequest(format!("{path}: a team has no name")));
            }
            if !teams.insert(t.name.as_str()) {
                return Err(HubError::BadRequest(format!(
                    "{path}: team `{}` is declared twice",
                    t.name
                )));
            }
        }
        let mut services = BTreeSet::new();
        for s in &org.services {
            if !services.insert(s.name.as_str()) {
                return Err(HubError::BadRequest(format!(
                    "{path}: service `{}` is declared twice",
                    s.name
                )));
            }
            if !teams.contains(s.team.as_str()) {
                return Err(HubError::BadRequest(format!(
                    "{path}: service `{}` names team `{}`, which the file does not declare",
                    s.name, s.team
                )));
            }
        }
        Ok(org)
    }
}

fn exposure_str(e: Exposure) -> &'static str {
    match e {
        Exposure::Internet => "internet",
        Exposure::Internal => "internal",
    }
}

fn classification_str(d: DataClassification) -> &'static str {
    match d {
        DataClassification::Public => "public",
        DataClassification::Internal => "internal",
        DataClassification::Confidential => "confidential",
        DataClassification::Restricted => "restricted",
    }
}

/// Parses a stored exposure.
pub(crate) fn exposure_of(text: &str) -> Option<Exposure> {
    match text {
        "internet" => Some(Exposure::Internet),
        "internal" => Some(Exposure::Internal),
        _ => None,
    }
}

/// Parses a stored data classification.
pub(crate) fn classification_of(text: &str) -> Option<DataClassification> {
    match text {
        "public" => Some(DataClassification::Public),
        "internal" => Some(DataClassification::Internal),
        "confidential" => Some(DataClassification::Confidential),
        "restricted" => Some(DataClassification::Restricted),
        _ => None,
    }
}

/// Applies the organisation file: creates or updates teams, services and the policy, and
/// returns one line per change (none when the database already matches). Teams and services
/// missing from the file are kept: nothing is deleted.
pub async fn apply(store: &Store, org: &OrgFile, actor: &str) -> Result<Vec<String>, HubError> {
    let now = store.now();
    let mut tx = store.pool.begin().await?;
    let mut chain = Chain::lock(&mut tx, now).await?;
    let mut changes = Vec::new();
    for team in &org.teams {
        let escalation = serde_json::to_string(&team.escalation)
            .map_err(|e| HubError::BadRequest(e.to_string()))?;
        let row = sqlx::query("SELECT escalation FROM teams WHERE name = $1")
            .bind(&team.name)
            .fetch_optional(&mut *tx)
            .await?;
        let before: Option<String> = row.map(|r| r.try_get("escalation")).transpose()?;
        if before.as_deref() == Some(escalation.as_str()) {
            continue;
        }
        let after = json!({"name": team.name, "escalation": team.escalation});
        if let Some(before) = before {
            sqlx::query("UPDATE teams SET escalation = $1, updated_at = $2 WHERE name = $3")
                .bind(&escalation)
                .bind(now)
                .bind(&team.name)
                .execute(&mut *tx)
                .await?;
            let before: serde_json::Value = serde_json::from_str(&before)
                .map_err(|e| HubError::Corrupt(format!("team escalation: {e}")))?;
            let before = json!({"name": team.name, "escalation": before});
            chain
                .append(
                    &mut tx,
                    actor,
                    "team.updated",
                    &format!("team:{}", team.name),
                    Some(&before),
                    Some(&after),
                )
                .await?;
            changes.push(format!("team {}: escalation chain updated", team.name));
        } else {
            sqlx::query(
                "INSERT INTO teams (name, escalation, created_at, updated_at) VALUES ($1, $2, $3, $3)",
            )
            .bind(&team.name)
            .bind(&escalation)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            chain
                .append(
                    &mut tx,
                    actor,
                    "team.created",
                    &format!("team:{}", team.name),
                    None,
                    Some(&after),
                )
                .await?;
            changes.push(format!("team {}: created", team.name));
        }
    }
    for service in &org.services {
        let repositories = serde_json::to_string(&service.repositories)
            .map_err(|e| HubError::BadRequest(e.to_string()))?;
        let wanted = (
            service.team.clone(),
            exposure_str(service.exposure).to_owned(),
            classification_str(service.data_classification).to_owned(),
            repositories.clone(),
        );
        let row = sqlx::query(
            "SELECT team, exposure, data_classification, repositories FROM services WHERE name = $1",
        )
        .bind(&service.name)
        .fetch_optional(&mut *tx)
        .await?;
        let current = row
            .map(
                |r| -> Result<(String, String, String, String), sqlx::Error> {
                    Ok((
                        r.try_get("team")?,
                        r.try_get("exposure")?,
                        r.try_get("data_classification")?,
                        r.try_get("repositories")?,
                    ))
                },
            )
            .transpose()?;
        if current.as_ref() == Some(&wanted) {
            continue;
        }
        let state = |t: &(String, String, String, String)| {
            json!({"name": service.name, "team": t.0, "exposure": t.1,
                   "data_classification": t.2, "repositories": serde_json::from_str::<serde_json::Value>(&t.3).unwrap_or_default()})
        };
        let subject = format!("service:{}", service.name);
        if let Some(current) = current {
            sqlx::query(
                "UPDATE services SET team = $1, exposure = $2, data_classification = $3, repositories = $4, updated_at = $5 WHERE name = $6",
            )
            .bind(&wanted.0)
            .bind(&wanted.1)
            .bind(&wanted.2)
            .bind(&wanted.3)
            .bind(now)
            .bind(&service.name)
            .execute(&mut *tx)
            .await?;
            let mut what = Vec::new();
            for (name, old, new) in [
                ("team", &current.0, &wanted.0),
                ("exposure", &current.1, &wanted.1),
                ("data classification", &current.2, &wanted.2),
                ("repositories", &current.3, &wanted.3),
            ] {
                if old != new {
                    what.push(format!("{name} {old} → {new}"));
                }
            }
            chain
                .append(
                    &mut tx,
                    actor,
                    "service.updated",
                    &subject,
                    Some(&state(&current)),
                    Some(&state(&wanted)),
                )
                .await?;
            changes.push(format!("service {}: {}", service.name, what.join(", ")));
        } else {
            sqlx::query(
                "INSERT INTO services (name, team, exposure, data_classification, repositories, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(&service.name)
            .bind(&wanted.0)
            .bind(&wanted.1)
            .bind(&wanted.2)
            .bind(&wanted.3)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            chain
                .append(
                    &mut tx,
                    actor,
                    "service.created",
                    &subject,
                    None,
                    Some(&state(&wanted)),
                )
                .await?;
            changes.push(format!("service {}: created", service.name));
        }
    }
    if let Some(policy) = &org.policy {
        let text =
            serde_json::to_string(policy).map_err(|e| HubError::BadRequest(e.to_string()))?;
        let row = sqlx::query("SELECT value FROM settings WHERE key = 'policy'")
            .fetch_optional(&mut *tx)
            .await?;
        let before: Option<String> = row.map(|r| r.try_get("value")).transpose()?;
        if before.as_deref() != Some(text.as_str()) {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ('policy', $1) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(&text)
            .execute(&mut *tx)
            .await?;
            let before = before.and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok());
            let after = serde_json::to_value(policy).unwrap_or_default();
            chain
                .append(
                    &mut tx,
                    actor,
                    "policy.updated",
                    "policy",
                    before.as_ref(),
                    Some(&after),
                )
                .await?;
            changes.push("policy: updated".to_owned());
        }
    }
    chain.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(changes)
}

/// A service as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredService {
    /// Name.
    pub name: String,
    /// Owning team.
    pub team: String,
    /// `internet` or `internal`.
    pub exposure: String,
    /// Data classification.
    pub data_classification: String,
    /// Repositories.
    pub repositories: Vec<String>,
}

/// Every service, by name.
pub async fn services(store: &Store) -> Result<Vec<StoredService>, HubError> {
    let rows = sqlx::query(
        "SELECT name, team, exposure, data_classification, repositories FROM services ORDER BY name",
    )
    .fetch_all(&store.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let repos: String = r.try_get("repositories")?;
            Ok(StoredService {
                name: r.try_get("name")?,
                team: r.try_get("team")?,
                exposure: r.try_get("exposure")?,
                data_classification: r.try_get("data_classification")?,
                repositories: serde_json::from_str(&repos)
                    .map_err(|e| HubError::Corrupt(format!("repositories: {e}")))?,
            })
        })
        .collect()
}

/// Every team with its escalation chain, by name.
pub async fn teams(store: &Store) -> Result<Vec<Team>, HubError> {
    let rows = sqlx::query("SELECT name, escalation FROM teams ORDER BY name")
        .fetch_all(&store.pool)
        .await?;
    rows.iter()
        .map(|r| {
            let escalation: String = r.try_get("escalation")?;
            Ok(Team {
                name: r.try_get("name")?,
                escalation: serde_json::from_str(&escalation)
                    .map_err(|e| HubError::Corrupt(format!("escalation: {e}")))?,
            })
        })
        .collect()
}

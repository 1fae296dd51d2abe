//! API tokens: 256 random bits, shown once, stored as a SHA-256 hash, compared in constant
//! time, scoped to one team or to the security role.
//!
//! A token reads `jz_<id>_<secret>`: the id (48 random bits, hex) finds the row without
//! revealing anything, and only the secret's hash is stored.

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;
use subtle::ConstantTimeEq;

use crate::audit::Chain;
use crate::error::HubError;
use crate::store::Store;

/// What a token may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Role {
    /// Read and write the services of one team; never accept risk.
    Team {
        /// The team.
        team: String,
    },
    /// The security team: everything, including risk acceptance.
    Security,
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    /// The token's id.
    pub token_id: String,
    /// The name given at creation (a person or a pipeline).
    pub name: String,
    /// What it may do.
    pub role: Role,
}

impl Principal {
    /// How audit events name this caller.
    pub fn actor(&self) -> String {
        format!("token:{} ({})", self.token_id, self.name)
    }

    /// Whether the caller holds the security role.
    pub fn is_security(&self) -> bool {
        self.role == Role::Security
    }

    /// Whether the caller may read and write services of `team`.
    pub fn may_use_team(&self, team: &str) -> bool {
        match &self.role {
            Role::Security => true,
            Role::Team { team: own } => own == team,
        }
    }
}

fn random_hex(bytes: usize) -> Result<String, HubError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| HubError::Open(format!("no system randomness: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Creates a token for `team` (or the security role when `None`) and returns it: the only
/// time it is ever available whole.
pub async fn create_token(
    store: &Store,
    team: Option<&str>,
    name: &str,
) -> Result<String, HubError> {
    let now = store.now();
    let mut tx = store.pool.begin().await?;
    let mut chain = Chain::lock(&mut tx, now).await?;
    if let Some(team) = team {
        let exists = sqlx::query("SELECT name FROM teams WHERE name = $1")
            .bind(team)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(HubError::NotFound(format!(
                "no team `{team}`: declare it in org.toml and run `jobzero hub org apply` first"
            )));
        }
    }
    let id = random_hex(6)?;
    let secret = random_hex(32)?;
    let role = if team.is_some() { "team" } else { "security" };
    sqlx::query(
        "INSERT INTO tokens (id, secret_hash, role, team, name, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(hash(&secret))
    .bind(role)
    .bind(team)
    .bind(name)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    chain
        .append(
            &mut tx,
            "admin",
            "token.created",
            &format!("token:{id}"),
            None,
            Some(&json!({"role": role, "team": team, "name": name})),
        )
        .await?;
    chain.finish(&mut tx).await?;
    tx.commit().await?;
    Ok(format!("jz_{id}_{secret}"))
}

/// The caller of a token id (for a session that stands for it).
async fn principal_of(store: &Store, id: &str) -> Result<Option<Principal>, HubError> {
    let Some(row) = sqlx::query("SELECT role, team, name, revoked_at FROM tokens WHERE id = $1")
        .bind(id)
        .fetch_optional(&store.pool)
        .await?
    else {
        return Ok(None);
    };
    if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
        return Ok(None);
    }
    let role: String = row.try_get("role")?;
    let team: Option<String> = row.try_get("team")?;
    let role = match (role.as_str(), team) {
        ("security", _) => Role::Security,
        ("team", Some(team)) => Role::Team { team },
        _ => {
            return Err(HubError::Corrupt(format!(
                "token {id}: unknown role {role}"
            )));
        }
    };
    Ok(Some(Principal {
        token_id: id.to_owned(),
        name: row.try_get("name")?,
        role,
    }))
}

/// How long a dashboard session lasts.
pub const SESSION_SECONDS: i64 = 12 * 3_600;

/// Opens a browser session for a valid token; returns the session id (shown once, in the
/// cookie; stored hashed).
pub async fn create_session(store: &Store, token: &str) -> Result<(String, Principal), HubError> {
    let principal = authenticate(store, token).await?;
    let id = random_hex(32)?;
    let now = store.now();
    sqlx::query(
        "INSERT INTO sessions (id_hash, token_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash(&id))
    .bind(&principal.token_id)
    .bind(now)
    .bind(now + SESSION_SECONDS)
    .execute(&store.pool)
    .await?;
    Ok((id, principal))
}

/// The caller of a live session.
pub async fn session(store: &Store, id: &str) -> Result<Option<Principal>, HubError> {
    if id.len() != 64 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT token_id FROM sessions WHERE id_hash = $1 AND ended_at IS NULL AND expires_at > $2",
    )
    .bind(hash(id))
    .bind(store.now())
    .fetch_optional(&store.pool)
    .await?;
    match row {
        Some(r) => principal_of(store, &r.try_get::<String, _>("token_id")?).await,
        None => Ok(None),
    }
}

/// Ends a session.
pub async fn end_session(store: &Store, id: &str) -> Result<(), HubError> {
    sqlx::query("UPDATE sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL")
        .bind(store.now())
        .bind(hash(id))
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// The caller a bearer token designates.
pub async fn authenticate(store: &Store, token: &str) -> Result<Principal, HubError> {
    let invalid = || HubError::Unauthorized("invalid or revoked token".to_owned());
    let rest = token.trim().strip_prefix("jz_").ok_or_else(invalid)?;
    let (id, secret) = rest.split_once('_').ok_or_else(invalid)?;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let row = sqlx::query("SELECT secret_hash FROM tokens WHERE id = $1")
        .bind(id)
        .fetch_optional(&store.pool)
        .await?
        .ok_or_else(invalid)?;
    let stored: String = row.try_get("secret_hash")?;
    let matches: bool = hash(secret).as_bytes().ct_eq(stored.as_bytes()).into();
    if !matches {
        return Err(invalid());
    }
    // A revoked token has no principal.
    principal_of(store, id).await?.ok_or_else(invalid)
}

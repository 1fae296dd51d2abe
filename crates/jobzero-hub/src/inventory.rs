//! The organisation's inventory: the packages of every service's latest complete deps scan,
//! answering "where do we use log4j?" across services in one indexed query.
//!
//! A complete upload replaces the service's inventory: packages it lists are present (with
//! the commit they were last seen at), the others are kept but marked absent, so history is
//! never deleted.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AnyConnection, Row};

use crate::audit::Chain;
use crate::auth::{Principal, Role};
use crate::error::HubError;
use crate::store::Store;

pub use jobzero_core::InventoryItem;

/// The lowercased purl without version and qualifiers.
pub(crate) fn purl_base(purl: &str) -> String {
    let base = purl.split(['?', '#']).next().unwrap_or(purl);
    let base = match base.rsplit_once('@') {
        // An `@` after the last `/` starts the version (`%40` encodes a scope's `@`).
        Some((b, v)) if !v.contains('/') => b,
        _ => base,
    };
    base.to_ascii_lowercase()
}

/// The lowercased last segment of a name: `log4j-core` of `org.apache.logging.log4j:log4j-core`.
pub(crate) fn short_name(name: &str) -> String {
    name.rsplit([':', '/'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase()
}

/// Replaces the service's inventory inside the caller's transaction.
pub(crate) async fn replace(
    conn: &mut AnyConnection,
    chain: &mut Chain,
    actor: &str,
    service: &str,
    items: &[InventoryItem],
    commit: Option<&str>,
    now: i64,
) -> Result<(), HubError> {
    let mut before: BTreeSet<(String, String)> = BTreeSet::new();
    for r in sqlx::query("SELECT purl, lockfile FROM inventory WHERE service = $1 AND present = 1")
        .bind(service)
        .fetch_all(&mut *conn)
        .await?
    {
        before.insert((r.try_get("purl")?, r.try_get("lockfile")?));
    }
    let mut now_present: BTreeSet<(String, String)> = BTreeSet::new();
    for item in items {
        if !now_present.insert((item.purl.clone(), item.lockfile.clone())) {
            continue;
        }
        sqlx::query(
            "INSERT INTO inventory (service, purl, purl_base, short_name, ecosystem, name, version, direct, scope, \
             lockfile, line, present, first_seen, last_seen, last_commit) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12, $13) \
             ON CONFLICT (service, purl, lockfile) DO UPDATE SET present = 1, last_seen = excluded.last_seen, \
             last_commit = excluded.last_commit, direct = excluded.direct, scope = excluded.scope, line = excluded.line",
        )
        .bind(service)
        .bind(&item.purl)
        .bind(purl_base(&item.purl))
        .bind(short_name(&item.name))
        .bind(&item.ecosystem)
        .bind(&item.name)
        .bind(&item.version)
        .bind(item.direct.map(i64::from))
        .bind(item.scope.as_deref())
        .bind(&item.lockfile)
        .bind(i64::from(item.line))
        .bind(now)
        .bind(commit)
        .execute(&mut *conn)
        .await?;
    }
    let gone: Vec<&(String, String)> = before.difference(&now_present).collect();
    for (purl, lockfile) in &gone {
        sqlx::query(
            "UPDATE inventory SET present = 0 WHERE service = $1 AND purl = $2 AND lockfile = $3",
        )
        .bind(service)
        .bind(purl)
        .bind(lockfile)
        .execute(&mut *conn)
        .await?;
    }
    let added = now_present.difference(&before).count();
    if added > 0 || !gone.is_empty() {
        chain
            .append(
                conn,
                actor,
                "inventory.updated",
                &format!("service:{service}"),
                Some(&json!({"packages": before.len()})),
                Some(&json!({"packages": now_present.len(), "added": added, "removed": gone.len(), "commit": commit})),
            )
            .await?;
    }
    Ok(())
}

/// A service that ships a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// The service.
    pub service: String,
    /// Its team.
    pub team: String,
    /// Ecosystem.
    pub ecosystem: String,
    /// Package name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Package URL.
    pub purl: String,
    /// Direct dependency, when known.
    pub direct: Option<bool>,
    /// The lockfile.
    pub lockfile: String,
    /// Last seen (Unix seconds).
    pub last_seen: i64,
    /// The commit it was last seen at.
    pub last_commit: Option<String>,
}

/// What to look up: a purl (version optional) or a name (the full name or its last segment),
/// with an optional version.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Lookup {
    /// A purl.
    pub purl: Option<String>,
    /// A name.
    pub name: Option<String>,
    /// A version.
    pub version: Option<String>,
}

impl Lookup {
    /// What `jobzero where` and the dashboard's search box take: `NAME`, `NAME@VERSION` or a
    /// purl (version optional).
    pub fn parse(text: &str) -> Lookup {
        let query = jobzero_deps::query::Query::parse(text);
        Lookup {
            purl: query.purl_prefix().map(str::to_owned),
            name: query
                .purl_prefix()
                .is_none()
                .then(|| query.name().to_owned()),
            version: query.version().map(str::to_owned),
        }
    }
}

/// Services whose present inventory holds the package, by service, lockfile and version. A
/// team token sees its own team's services only.
pub async fn lookup(
    store: &Store,
    principal: &Principal,
    lookup: &Lookup,
) -> Result<Vec<Holder>, HubError> {
    let (key_sql, key) = match (&lookup.purl, &lookup.name) {
        (Some(purl), _) => {
            // A purl's own version counts unless `version` says otherwise.
            ("i.purl_base = $1", purl_base(purl))
        }
        (None, Some(name)) if !name.trim().is_empty() => (
            "(i.short_name = $1 OR lower(i.name) = $1)",
            name.trim().to_ascii_lowercase(),
        ),
        _ => {
            return Err(HubError::BadRequest(
                "give `purl` or `name` (and optionally `version`)".to_owned(),
            ));
        }
    };
    let version = lookup.version.clone().or_else(|| {
        lookup.purl.as_deref().and_then(|p| {
            let base = p.split(['?', '#']).next().unwrap_or(p);
            base.rsplit_once('@')
                .filter(|(_, v)| !v.contains('/'))
                .map(|(_, v)| v.to_owned())
        })
    });
    let team = match &principal.role {
        Role::Security => None,
        Role::Team { team } => Some(team.clone()),
    };
    let sql = format!(
        "SELECT i.service, s.team, i.ecosystem, i.name, i.version, i.purl, i.direct, i.lockfile, i.last_seen, \
         i.last_commit FROM inventory i JOIN services s ON s.name = i.service \
         WHERE {key_sql} AND i.present = 1 AND ($2 IS NULL OR i.version = $2) AND ($3 IS NULL OR s.team = $3) \
         ORDER BY i.service, i.lockfile, i.version LIMIT 10000"
    );
    let rows = sqlx::query(&sql)
        .bind(&key)
        .bind(version.as_deref())
        .bind(team.as_deref())
        .fetch_all(&store.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Holder {
                service: r.try_get("service")?,
                team: r.try_get("team")?,
                ecosystem: r.try_get("ecosystem")?,
                name: r.try_get("name")?,
                version: r.try_get("version")?,
                purl: r.try_get("purl")?,
                direct: r.try_get::<Option<i64>, _>("direct")?.map(|d| d != 0),
                lockfile: r.try_get("lockfile")?,
                last_seen: r.try_get("last_seen")?,
                last_commit: r.try_get("last_commit")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(
            purl_base("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"),
            "pkg:maven/org.apache.logging.log4j/log4j-core"
        );
        assert_eq!(purl_base("pkg:npm/%40types/Node"), "pkg:npm/%40types/node");
        assert_eq!(
            short_name("org.apache.logging.log4j:log4j-core"),
            "log4j-core"
        );
        assert_eq!(short_name("github.com/BurntSushi/toml"), "toml");
        assert_eq!(short_name("@types/node"), "node");
    }
}

//! The store: one interface over SQLite and PostgreSQL.
//!
//! Both run the same SQL through sqlx's `Any` driver (numbered `$1` parameters, `ON
//! CONFLICT`, `RETURNING`, integers for booleans and Unix seconds for times), so the
//! conformance suite exercises one code path on both databases. Only the migrations differ,
//! in their DDL dialect; they are embedded and checked by sqlx, which refuses a database whose
//! applied migrations were edited afterwards.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row};

use crate::error::HubError;
use crate::policy::Policy;

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server (several hub processes may share it).
    Postgres,
}

/// The current time in Unix seconds; replaceable so tests control the clock.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    })
}

/// A connection pool to the hub's database, with its clock.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    clock: Clock,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// `sqlite:PATH` (created on first use) or `postgres://…`, as a URL sqlx opens.
fn normalise(url: &str) -> Result<(String, Backend), HubError> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        if path.is_empty() {
            return Err(HubError::BadRequest(
                "`sqlite:` needs a file path, e.g. `sqlite:jobzero-hub.db`".to_owned(),
            ));
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        let mode = if path.contains("mode=") {
            String::new()
        } else {
            format!("{sep}mode=rwc")
        };
        return Ok((format!("sqlite://{path}{mode}"), Backend::Sqlite));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((url.to_owned(), Backend::Postgres));
    }
    Err(HubError::BadRequest(format!(
        "unsupported database URL `{url}`: use `sqlite:PATH` or `postgres://USER@HOST/DB`"
    )))
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    /// Opens (and creates or migrates) the database at `url`.
    pub async fn open(url: &str) -> Result<Store, HubError> {
        Store::open_with_clock(url, system_clock()).await
    }

    /// [`Store::open`] with a clock of the caller's.
    pub async fn open_with_clock(url: &str, clock: Clock) -> Result<Store, HubError> {
        install_default_drivers();
        let (url, backend) = normalise(url)?;
        let max = match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Readers never wait for the writer; the writer waits for locks.
                        sqlx::query("PRAGMA busy_timeout = 30000")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| HubError::Open(format!("{}: {e}", redact_url(&url))))?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| HubError::Open(format!("migrating {}: {e}", redact_url(&url))))?;
        Ok(Store {
            pool,
            backend,
            clock,
        })
    }

    /// The database kind.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Now, by the store's clock.
    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// The organisation's policy (defaults until `org apply` sets one).
    pub async fn policy(&self) -> Result<Policy, HubError> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = 'policy'")
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => {
                let text: String = r.try_get("value")?;
                serde_json::from_str(&text)
                    .map_err(|e| HubError::Corrupt(format!("stored policy: {e}")))
            }
            None => Ok(Policy::default()),
        }
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A URL without its password, for messages.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = url.get(scheme + 3..at).unwrap_or("");
            match userinfo.split_once(':') {
                Some((user, _)) => format!(
                    "{}{user}:***{}",
                    url.get(..scheme + 3).unwrap_or(""),
                    url.get(at..).unwrap_or("")
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            normalise("sqlite:/tmp/x.db").unwrap(),
            ("sqlite:///tmp/x.db?mode=rwc".to_owned(), Backend::Sqlite)
        );
        assert_eq!(
            normalise("sqlite:hub.db").unwrap().0,
            "sqlite://hub.db?mode=rwc"
        );
        assert_eq!(normalise("postgres://u@h/db").unwrap().1, Backend::Postgres);
        assert!(normalise("mysql://x").is_err());
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
    }
}

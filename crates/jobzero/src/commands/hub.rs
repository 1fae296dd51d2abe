//! `jobzero hub serve|org apply|token create|verify`.

use anyhow::Context;
use jobzero_hub::Store;
use jobzero_hub::org::OrgFile;
use jobzero_hub::server::{AppState, ServeOptions};

use crate::Outcome;
use crate::cli::{HubAdvisoriesCommand, HubCommand, OrgCommand, TokenCommand};

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn run(cmd: HubCommand) -> anyhow::Result<Outcome> {
    let rt = runtime()?;
    rt.block_on(async move {
        match cmd {
            HubCommand::Serve {
                database,
                listen,
                max_body_mb,
                escalation_interval,
            } => serve(&database.database, &listen, max_body_mb, escalation_interval).await,
            HubCommand::Escalate { database } => {
                let store = Store::open(&database.database).await?;
                let secret = webhook_secret();
                let t = jobzero_hub::escalation::tick(&store, &process_name(), secret.as_deref()).await?;
                store.close().await;
                println!(
                    "escalation: {} queued, {} sent, {} to retry, {} given up",
                    t.queued, t.sent, t.retried, t.failed
                );
                Ok(Outcome::Clean)
            }
            HubCommand::Org(OrgCommand::Apply { file, database }) => {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("{}: cannot read", file.display()))?;
                let org = OrgFile::parse(&text, &file.display().to_string())?;
                let store = Store::open(&database.database).await?;
                let changes = jobzero_hub::org::apply(&store, &org, "org-apply").await?;
                if changes.is_empty() {
                    println!("no change: the hub already matches {}", file.display());
                }
                for c in changes {
                    println!("{c}");
                }
                store.close().await;
                Ok(Outcome::Clean)
            }
            HubCommand::Token(TokenCommand::Create {
                database,
                team,
                security,
                name,
            }) => {
                let store = Store::open(&database.database).await?;
                let team = if security { None } else { team.as_deref() };
                let token = jobzero_hub::auth::create_token(&store, team, &name).await?;
                println!("{token}");
                crate::write::note(
                    "store it now: the hub keeps only its hash and cannot show it again",
                );
                store.close().await;
                Ok(Outcome::Clean)
            }
            HubCommand::Advisories(HubAdvisoriesCommand::Import { inputs, database }) => {
                let store = Store::open(&database.database).await?;
                let out = jobzero_hub::advisories::import(&store, &inputs, "advisories-import").await?;
                store.close().await;
                for (source, why) in &out.rejected {
                    crate::write::warning(&format!("{source}: not an OSV record: {why}"));
                }
                println!(
                    "{} records read: {} stored, {} unchanged, {} rejected; re-match: {} findings opened, {} reopened",
                    out.read,
                    out.stored,
                    out.unchanged,
                    out.rejected.len(),
                    out.opened,
                    out.reopened
                );
                Ok(Outcome::Clean)
            }
            HubCommand::Verify { database } => {
                let store = Store::open(&database.database).await?;
                let v = jobzero_hub::audit::verify(&store).await?;
                store.close().await;
                match v.broken {
                    None => {
                        println!("audit chain intact: {} events", v.events);
                        Ok(Outcome::Clean)
                    }
                    Some((seq, why)) => {
                        println!(
                            "audit chain BROKEN at event {seq}: {why} ({} events before it verify)",
                            v.events
                        );
                        Ok(Outcome::Findings)
                    }
                }
            }
        }
    })
}

fn webhook_secret() -> Option<Vec<u8>> {
    std::env::var("JOBZERO_WEBHOOK_SECRET")
        .ok()
        .filter(|s| !s.is_empty())
        .map(String::into_bytes)
}

/// How this process names itself in escalation claims.
fn process_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "hub".to_owned());
    format!("{host}:{}", std::process::id())
}

async fn serve(
    database: &str,
    listen: &str,
    max_body_mb: usize,
    escalation_interval: u64,
) -> anyhow::Result<Outcome> {
    let store = Store::open(database).await?;
    let webhook_secret = webhook_secret();
    if escalation_interval > 0 && webhook_secret.is_none() {
        crate::write::warning(
            "JOBZERO_WEBHOOK_SECRET is not set: escalation webhooks go out unsigned",
        );
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    let backend = match store.backend() {
        jobzero_hub::store::Backend::Sqlite => "SQLite",
        jobzero_hub::store::Backend::Postgres => "PostgreSQL",
    };
    eprintln!("jobzero hub listening on http://{addr} ({backend})");
    jobzero_hub::server::serve(
        AppState::new(store.clone()),
        listener,
        ServeOptions {
            body_limit: max_body_mb.saturating_mul(1024 * 1024),
            escalation_every: (escalation_interval > 0)
                .then(|| std::time::Duration::from_secs(escalation_interval)),
            process_name: process_name(),
            webhook_secret,
        },
        shutdown_signal(),
    )
    .await
    .context("the server stopped with an error")?;
    store.close().await;
    eprintln!("jobzero hub stopped");
    Ok(Outcome::Clean)
}

/// Ctrl-C or SIGTERM: stop accepting, finish requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

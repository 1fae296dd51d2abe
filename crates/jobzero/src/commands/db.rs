//! `jobzero db import|status`.

use std::fmt::Write as _;
use std::path::PathBuf;

use jobzero_advisories::Database;

use crate::Outcome;
use crate::cli::DbCommand;

/// The database directory: the flag, `$JOBZERO_ADVISORY_DB`, or the user's data directory.
pub fn database_dir(flag: Option<PathBuf>) -> PathBuf {
    jobzero::advisory_db_dir(flag)
}

pub fn run(cmd: DbCommand) -> anyhow::Result<Outcome> {
    match cmd {
        DbCommand::Import {
            inputs,
            advisory_db,
        } => {
            let db = Database::open(database_dir(advisory_db));
            let stats = db.import(&inputs)?;
            for (source, why) in stats.rejected.iter().take(20) {
                crate::write::warning(&format!("{source}: not an OSV record: {why}"));
            }
            if stats.rejected.len() > 20 {
                crate::write::warning(&format!(
                    "… and {} more rejected records",
                    stats.rejected.len() - 20
                ));
            }
            crate::write::emit(
                &format!(
                    "{} records read: {} stored, {} unchanged, {} rejected → {}\n",
                    stats.read,
                    stats.stored,
                    stats.unchanged,
                    stats.rejected.len(),
                    db.dir().display()
                ),
                None,
            )?;
            Ok(Outcome::Clean)
        }
        DbCommand::Status { advisory_db } => {
            let db = Database::open(database_dir(advisory_db));
            let status = db.status()?;
            let mut out = String::new();
            if status.is_empty() {
                let _ = writeln!(
                    out,
                    "no advisories in {} (load some with `jobzero db import`)",
                    db.dir().display()
                );
            } else {
                let _ = writeln!(out, "{:<16} {:>10}  newest", "ecosystem", "advisories");
                for s in &status {
                    let _ = writeln!(
                        out,
                        "{:<16} {:>10}  {}",
                        s.ecosystem, s.advisories, s.newest
                    );
                }
                let _ = writeln!(out, "\n{}", db.dir().display());
            }
            crate::write::emit(&out, None)?;
            Ok(Outcome::Clean)
        }
    }
}

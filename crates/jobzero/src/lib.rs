//! The glue of the `jobzero` binary that tests need too: which families are linked in, the
//! base revision of `scan --diff`, and the editor server.

pub mod base;
pub mod families;
pub mod lsp;

use std::path::PathBuf;

/// The advisory database: `flag`, else `$JOBZERO_ADVISORY_DB`, else the user's data
/// directory.
pub fn advisory_db_dir(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os("JOBZERO_ADVISORY_DB").map(PathBuf::from))
        .or_else(|| dirs::data_dir().map(|d| d.join("jobzero").join("advisories")))
        .unwrap_or_else(|| PathBuf::from(".jobzero-advisories"))
}

fn db_dir() -> PathBuf {
    advisory_db_dir(None)
}

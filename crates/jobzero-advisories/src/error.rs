//! What goes wrong with the database or an input.

use std::path::{Path, PathBuf};

/// Why the database could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A file of the database or an input.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

pub(crate) fn io(path: &Path, e: impl std::fmt::Display) -> DbError {
    DbError::Io {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

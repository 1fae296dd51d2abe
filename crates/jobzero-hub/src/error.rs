//! The hub's one error type; the server maps each kind to an HTTP status.

/// What went wrong in the hub.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The database could not be opened or migrated.
    #[error("cannot open the hub database: {0}")]
    Open(String),
    /// A database operation failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Stored data does not have the shape the hub wrote.
    #[error("corrupt hub data: {0}")]
    Corrupt(String),
    /// The request is malformed or names something invalid.
    #[error("{0}")]
    BadRequest(String),
    /// No credentials, or credentials that are not a valid token.
    #[error("{0}")]
    Unauthorized(String),
    /// Valid credentials without the right to do this.
    #[error("{0}")]
    Forbidden(String),
    /// The thing named does not exist.
    #[error("{0}")]
    NotFound(String),
}

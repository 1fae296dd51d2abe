//! The sarif family's rules, one per file.

mod ingested_result;

pub use ingested_result::INGESTED_RESULT;

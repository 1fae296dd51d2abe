//! The sarif family's rules, one per file. Each ingested result is carried by exactly one
//! of them, chosen by what the result is about, so that it counts toward the right
//! security expectation.

mod ingested_result;
mod ingested_secret;
mod ingested_vulnerability;

pub use ingested_result::INGESTED_RESULT;
pub use ingested_secret::INGESTED_SECRET;
pub use ingested_vulnerability::INGESTED_VULNERABILITY;

//! The deps family's rules, one per file.

mod known_vulnerability;

pub use known_vulnerability::KNOWN_VULNERABILITY;

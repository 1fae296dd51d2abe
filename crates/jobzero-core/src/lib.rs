//! jobzero's core: the finding model, rules and their registry, the security expectations
//! catalogue, configuration, suppression, the walker, the scan engine and the output formats.
//!
//! Scanner families are separate crates that implement [`scan::Scanner`] and export their
//! rules as one ordered `RULES` slice; this crate knows none of them.

pub mod check;
pub mod config;
pub mod context;
pub mod days;
pub mod docs;
pub mod expectation;
pub mod finding;
pub mod inventory;
pub mod output;
pub mod progress;
pub mod redact;
pub mod registry;
pub mod report;
pub mod rule;
pub mod scan;
pub mod session;
pub mod severity;
pub mod suppress;
pub mod testing;
pub mod walk;
pub mod wildcard;
pub mod words;
pub mod yaml;

pub use expectation::Expectation;
pub use finding::{
    Advisory, Finding, FindingBuilder, FindingError, Introduced, Location, Package, Target,
    TraceStep, Verified,
};
pub use inventory::InventoryItem;
pub use registry::Registry;
pub use report::{Report, ScanError};
pub use rule::{Family, RuleMeta};
pub use scan::{FileOutput, Scanner, SourceFile};
pub use severity::{Confidence, FailOn, Severity};

#[cfg(test)]
pub(crate) mod testing_rule {
    use crate::{Confidence, Family, Severity, declare_rule, expectation};

    declare_rule! {
        /// ## What it finds
        /// A rule for the crate's unit tests.
        pub static RULE = {
            id: "iac/unit-test-rule",
            code: "IAC998",
            title: "a rule for unit tests",
            family: Family::Iac,
            severity: Severity::Medium,
            confidence: Confidence::High,
            expectation: &expectation::CODE_ANALYSIS,
        }
    }
}

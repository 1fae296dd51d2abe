//! The IAM family: policy documents read with positions, the action catalogue of every AWS
//! service, and the IAM evaluation logic (`jobzero iam simulate`).
//!
//! The proofs over all requests (`check-no-public-access`, `check-no-new-access`,
//! `check-access-not-granted`) are in [`proof`], over the representative values of
//! [`regions`]; `docs/iam-proofs.md` explains why they are sound.

pub mod audit;
pub mod catalogue;
pub mod document;
pub mod eval;
pub mod glob;
pub mod infra;
pub mod proof;
pub mod regions;
pub mod rules;
pub mod scanner;

pub use document::{Policy, Problem};
pub use eval::{Caller, Decision, Outcome, Request, evaluate};
pub use rules::RULES;
pub use scanner::IamScanner;

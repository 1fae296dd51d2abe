//! The IAM family: policy documents read with positions, the action catalogue of every AWS
//! service, and the IAM evaluation logic (`jobzero iam simulate`).
//!
//! Validation findings, privilege-escalation paths and the proofs over all requests
//! (`check-no-public-access`, `check-no-new-access`, `check-access-not-granted`) build on these
//! modules; see the open issue for what is left.

pub mod catalogue;
pub mod document;
pub mod eval;
pub mod glob;

pub use document::{Policy, Problem};
pub use eval::{Caller, Decision, Outcome, Request, evaluate};

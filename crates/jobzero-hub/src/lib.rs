//! jobzero's findings hub: the organisation's shared memory of findings.
//!
//! - [`store`]: SQLite or PostgreSQL behind one interface, with embedded migrations;
//! - [`org`]: teams, services and policy from `org.toml`;
//! - [`auth`]: scoped API tokens;
//! - [`findings`]: uploads, deduplication, the automatic lifecycle, risk acceptance;
//! - [`gate`]: go / no-go for a launch;
//! - [`inventory`] and [`advisories`]: where each package is used, re-matched against new
//!   advisories without rescans;
//! - [`escalation`]: deadlines walking the owning team's chain, through a webhook outbox;
//! - [`audit`]: the append-only, hash-chained event log;
//! - [`review`]: the weekly security review, replayed from the audit log;
//! - [`server`]: the HTTP API, and [`dashboard`] its pages for people;
//! - [`api`]: the types the API sends and receives, shared with the client.

pub mod advisories;
pub mod api;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod dashboard;
pub mod error;
pub mod escalation;
pub mod findings;
pub mod gate;
pub mod html;
pub mod inventory;
pub mod org;
pub mod policy;
pub mod review;
pub mod server;
pub mod state;
pub mod store;

pub use error::HubError;
pub use store::Store;

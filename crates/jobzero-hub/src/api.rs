//! The hub's wire types: what a client sends and what the API answers, shared by the server
//! and `jobzero`'s client, so that neither reads the other's JSON by hand. The upload carries
//! core's [`Report`](jobzero_core::Report) itself: the report a scan writes is the report the
//! hub ingests, inventory included.

use serde::{Deserialize, Serialize};

pub use crate::findings::{UploadOutcome, UploadRequest};
pub use crate::gate::{Blocking, Decision};
pub use crate::inventory::{Holder, InventoryItem};

/// `GET /api/v1/inventory`: the services that ship a package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holders {
    /// By service, lockfile and version.
    pub holders: Vec<Holder>,
}

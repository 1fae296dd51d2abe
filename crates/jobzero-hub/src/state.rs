//! The state every handler of the API and the dashboard shares.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use crate::store::Store;

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) metrics: Arc<Metrics>,
    /// The overview's trend: the current week's review, recomputed at most every few minutes
    /// (replaying a large audit log takes seconds).
    pub(crate) trend: Arc<tokio::sync::Mutex<Option<(i64, crate::review::Review)>>>,
}

/// Counters for `/metrics`.
#[derive(Default)]
pub(crate) struct Metrics {
    pub(crate) requests: AtomicU64,
    pub(crate) denied: AtomicU64,
    pub(crate) uploads: AtomicU64,
    pub(crate) gate_go: AtomicU64,
    pub(crate) gate_no_go: AtomicU64,
}

impl AppState {
    /// State over a store.
    pub fn new(store: Store) -> AppState {
        AppState {
            store,
            metrics: Arc::new(Metrics::default()),
            trend: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }
}

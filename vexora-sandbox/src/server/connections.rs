//! How many connections a sandbox serves at once.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use tokio::sync::Semaphore;

/// The connections being served, bounded by `max_connections`: one permit each.
#[derive(Debug)]
pub(crate) struct Connections {
    pub(crate) permits: Arc<Semaphore>,
    pub(crate) limit: usize,
    pub(crate) refused: AtomicU64,
}

impl Connections {
    pub(crate) fn open(&self) -> usize {
        self.limit.saturating_sub(self.permits.available_permits())
    }
}

//! What a running sandbox has served: counted by the server as connections
//! and requests arrive, shown by `GET /sandbox/stats`.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// Counters of a running sandbox, as `GET /sandbox/stats` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SandboxStats {
    /// TCP connections accepted (a client that reuses connections keeps
    /// this low).
    pub connections_accepted: u64,
    /// HTTP requests received, on every route.
    pub requests: u64,
}

/// The live counters behind [`SandboxStats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) connections_accepted: AtomicU64,
    pub(crate) requests: AtomicU64,
}

impl Counters {
    /// The counters now.
    pub(crate) fn read(&self) -> SandboxStats {
        SandboxStats {
            connections_accepted: self.connections_accepted.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
        }
    }
}

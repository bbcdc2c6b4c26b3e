//! Unpredictable-enough numbers without a random-number crate: the standard
//! library's per-process random hash keys, mixed with a counter and the
//! clock. For unique order numbers and retry jitter; never for secrets.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A number that differs on every call, in this process and across processes.
pub(crate) fn next_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(now.as_nanos());
    hasher.finish()
}

//! Random numbers from the operating system (`getrandom`, already in the
//! tree through both HTTP stacks), for unique order numbers and retry
//! jitter; never for secrets.

use std::sync::atomic::{AtomicU64, Ordering};

/// A random number that also differs from every earlier one of this
/// process: a counter is mixed in, so even an OS without a random source
/// (`getrandom`'s only failure) cannot repeat one.
pub(crate) fn next_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut bytes = [0u8; 8];
    let _ = getrandom::getrandom(&mut bytes);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    u64::from_ne_bytes(bytes) ^ count.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

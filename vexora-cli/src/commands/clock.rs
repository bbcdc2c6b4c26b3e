//! `vexora clock advance <DURATION>`: moves the sandbox clock forward, so
//! retries and T+1 settlement can be seen without waiting.

use super::control::post;
use crate::failure::Failure;

/// `POST /sandbox/clock/advance` with `{"seconds": N}`; prints the clock.
pub fn advance(seconds: u64, sandbox_url: &str) -> Result<String, Failure> {
    post(sandbox_url, None, "clock/advance", Some(serde_json::json!({ "seconds": seconds }).to_string()))
}

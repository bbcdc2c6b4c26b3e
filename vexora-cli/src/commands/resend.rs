//! `vexora resend order|payout <TRADE_NO>`: the last notification of a
//! sandbox order or payout sent again now, byte for byte.

use super::control::{post, segment};
use crate::args::SandboxTarget;
use crate::failure::Failure;

/// `POST /sandbox/orders/{tradeNo}/resend`; prints the attempt.
pub fn order(trade_no: &str, sandbox: &SandboxTarget) -> Result<String, Failure> {
    let route = format!("orders/{}/resend", segment(trade_no));
    post(&sandbox.sandbox_url, sandbox.merchant_no.as_deref(), &route, None)
}

/// `POST /sandbox/payouts/{tradeNo}/resend`; prints the attempt.
pub fn payout(trade_no: &str, sandbox: &SandboxTarget) -> Result<String, Failure> {
    let route = format!("payouts/{}/resend", segment(trade_no));
    post(&sandbox.sandbox_url, sandbox.merchant_no.as_deref(), &route, None)
}

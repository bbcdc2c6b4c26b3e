//! `vexora decide order|payout <TRADE_NO> <OUTCOME>`: the sandbox's control
//! routes, so a payout or an order can be finished from a shell.

use super::control::{post, segment};
use crate::args::{OrderDecision, PayoutDecision, SandboxTarget};
use crate::failure::Failure;

/// `POST /sandbox/orders/{tradeNo}/{pay|partial|fail}`.
pub fn order(trade_no: &str, outcome: OrderDecision, sandbox: &SandboxTarget) -> Result<String, Failure> {
    let action = match outcome {
        OrderDecision::Pay => "pay",
        OrderDecision::Partial => "partial",
        OrderDecision::Fail => "fail",
    };
    let route = format!("orders/{}/{action}", segment(trade_no));
    post(&sandbox.sandbox_url, sandbox.merchant_no.as_deref(), &route, None)
}

/// `POST /sandbox/payouts/{tradeNo}/{pay|fail}`.
pub fn payout(trade_no: &str, outcome: PayoutDecision, sandbox: &SandboxTarget) -> Result<String, Failure> {
    let action = match outcome {
        PayoutDecision::Pay => "pay",
        PayoutDecision::Fail => "fail",
    };
    let route = format!("payouts/{}/{action}", segment(trade_no));
    post(&sandbox.sandbox_url, sandbox.merchant_no.as_deref(), &route, None)
}

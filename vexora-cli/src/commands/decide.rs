//! `vexora decide order|payout <TRADE_NO> <OUTCOME>`: the sandbox's control
//! routes, so a payout or an order can be finished from a shell.

use futures_lite::future::block_on;

use crate::args::{OrderDecision, PayoutDecision, SandboxTarget};
use crate::failure::Failure;

/// `POST /sandbox/orders/{tradeNo}/{pay|partial|fail}`.
pub fn order(trade_no: &str, outcome: OrderDecision, sandbox: &SandboxTarget) -> Result<String, Failure> {
    let action = match outcome {
        OrderDecision::Pay => "pay",
        OrderDecision::Partial => "partial",
        OrderDecision::Fail => "fail",
    };
    post(sandbox, &format!("orders/{trade_no}/{action}"))
}

/// `POST /sandbox/payouts/{tradeNo}/{pay|fail}`.
pub fn payout(trade_no: &str, outcome: PayoutDecision, sandbox: &SandboxTarget) -> Result<String, Failure> {
    let action = match outcome {
        PayoutDecision::Pay => "pay",
        PayoutDecision::Fail => "fail",
    };
    post(sandbox, &format!("payouts/{trade_no}/{action}"))
}

/// POSTs to `/sandbox/<route>`; the sandbox's JSON answer, or its message.
fn post(sandbox: &SandboxTarget, route: &str) -> Result<String, Failure> {
    let url = format!("{}/sandbox/{route}", sandbox.sandbox_url.trim_end_matches('/'));
    block_on(async {
        let mut request = surf::post(&url);
        if let Some(merchant_no) = &sandbox.merchant_no {
            request = request.header("merchantNo", merchant_no.as_str());
        }
        let mut response =
            request.await.map_err(|error| Failure::failed(format!("the sandbox at {url} did not answer: {error}")))?;
        let body = response.body_string().await.unwrap_or_default();
        if response.status().is_success() {
            Ok(body.trim_end().to_owned())
        } else {
            Err(Failure::failed(format!("the sandbox refused ({}): {}", response.status(), body.trim_end())))
        }
    })
}

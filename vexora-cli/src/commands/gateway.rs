//! `vexora query` and `vexora balance`.

use futures_lite::future::block_on;
use vexora::types::TradeNo;
use vexora::Client;

use crate::args::Invocation;
use crate::failure::Failure;
use crate::settings;

/// `query --trade-no <NO>`: prints the pay-in's result.
pub fn query(invocation: &Invocation) -> Result<String, Failure> {
    let trade_no = invocation.value("trade-no").ok_or_else(|| Failure::invalid("query needs --trade-no <NO>"))?;
    let client = Client::new(settings::config(invocation)?);
    let result = block_on(client.query_pay_in(&TradeNo::new(trade_no)))?;
    Ok(super::to_json(&result))
}

/// `balance`: prints the merchant's balances.
pub fn balance(invocation: &Invocation) -> Result<String, Failure> {
    let client = Client::new(settings::config(invocation)?);
    let balance = block_on(client.balance())?;
    Ok(super::to_json(&balance))
}

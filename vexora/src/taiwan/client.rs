//! Shortcuts on [`Client`] for the Taiwan endpoints. [`Client::send`] sends
//! any endpoint; these only name the Taiwan ones.

use crate::transport::Transport;
use crate::types::TradeNo;
use crate::{Client, Error};

use super::{BalanceRequest, CheckoutRequest, PayInQueryRequest};
use crate::data::{Balance, CheckoutData, PayInResult};

impl<T: Transport> Client<T> {
    /// Creates a Taiwan checkout and returns the order with its payment link.
    pub async fn checkout(&self, request: &CheckoutRequest) -> Result<CheckoutData, Error> {
        self.send(request).await
    }

    /// Asks how the Taiwan pay-in `trade_no` stands (`queryPayInResult`).
    pub async fn query_pay_in(&self, trade_no: &TradeNo) -> Result<PayInResult, Error> {
        self.send(&PayInQueryRequest { trade_no: trade_no.clone() }).await
    }

    /// Asks for the merchant's Taiwan balances (`queryBalance`).
    pub async fn balance(&self) -> Result<Balance, Error> {
        self.send(&BalanceRequest {}).await
    }
}

//! `POST /v1/vexora/disbursements`: a payout to a mobile number
//! (`spec/kenya/payout.toml`).
//!
//! A payout moves money: after an ambiguous failure it is never resent;
//! [`Client::reconcile`](crate::Client::reconcile) asks
//! `queryPayOutResult` whether it exists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::{Amount, HttpUrl, TradeNo, TradeStatus};

/// A Kenya payout. The client adds `timestamp` and `sign`.
///
/// ```
/// use vexora::kenya::PayoutRequest;
/// use vexora::types::TradeNo;
/// use vexora::Validate;
///
/// let payout = PayoutRequest::builder().amount(50).trade_no(TradeNo::generate()).mobile("254115555088").build();
/// assert!(payout.validate().is_ok());
/// let mut local = payout.clone();
/// local.mobile = "0712345678".to_owned();
/// assert_eq!(local.validate().unwrap_err().violations()[0].field, "mobile");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "kenya/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Whole shillings, more than zero (the page recommends more than 50,
    /// which the SDK leaves to the gateway).
    #[vexora(required)]
    pub amount: Amount,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The recipient's mobile number: 12 digits starting with `2541` or
    /// `2547`.
    #[vexora(required, pattern = "^254[17][0-9]{8}$")]
    pub mobile: String,
    /// Where the gateway POSTs the signed payout notification. Optional on
    /// the page, which does not say what happens without it: without one,
    /// follow the payout by query.
    #[vexora(optional)]
    pub notify_url: Option<HttpUrl>,
}

/// The Kenya payout response's `data`: Vexora's id for the payout, under
/// Kenya's name for it, and its status, usually still processing (`0015`).
/// Only these fields are documented; everything else the gateway sends is
/// kept in `other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayoutData {
    /// Vexora's id for this payout, unique (`platFormTradeNo` in other
    /// regions).
    pub serial_number: String,
    /// The payout's status; the final one arrives by notification or query.
    pub status: TradeStatus,
    /// Fields the documents do not list, kept as received.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

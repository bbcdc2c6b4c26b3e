//! What the book keeps of an order or a payout: the record and what a
//! request asks to create.

use serde::Serialize;

use crate::book::calendar::LocalDay;
use crate::book::money::Cents;
use crate::book::status::{OrderStatus, ProcessStatus};

/// A payout out of a merchant's balance.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Payout {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    pub(crate) trade_no: String,
    pub(crate) plat_form_trade_no: String,
    pub(crate) status: ProcessStatus,
    pub(crate) amount: Cents,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) remark: Option<String>,
    /// The bank or channel fields the request named, for people to read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) channel: Option<String>,
    pub(crate) notify_url: String,
    pub(crate) created_at_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) finished_at_ms: Option<i64>,
    /// Queries find it from this time on (a gateway slow to create).
    #[serde(skip)]
    pub(crate) visible_from_ms: i64,
}

/// What a payout request asks for.
#[derive(Debug, Clone)]
pub(crate) struct NewPayout {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    pub(crate) trade_no: String,
    pub(crate) amount: Cents,
    pub(crate) remark: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) notify_url: String,
}

/// What the payer did at the cashier: the choice its buttons, the control
/// route `POST /sandbox/orders/{tradeNo}/{action}` and
/// [`SandboxControl::finish_order`](crate::SandboxControl::finish_order) make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Paid the whole amount (`0000`).
    Pay,
    /// Paid half, rounded down, at least 1 (`0001`).
    Partial,
    /// Failed (`00029`).
    Fail,
}

impl PaymentOutcome {
    /// `pay`, `partial` or `fail`, as in the cashier's and the control routes.
    pub fn parse(action: &str) -> Option<Self> {
        match action {
            "pay" => Some(Self::Pay),
            "partial" => Some(Self::Partial),
            "fail" => Some(Self::Fail),
            _ => None,
        }
    }
}

/// A cashier order.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Order {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    pub(crate) trade_no: String,
    pub(crate) plat_form_trade_no: String,
    pub(crate) status: OrderStatus,
    /// The amount ordered.
    pub(crate) amount: Cents,
    /// The amount paid.
    pub(crate) paid_amount: Cents,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) remark: Option<String>,
    /// The channel fields the checkout named, for people to read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) channel: Option<String>,
    pub(crate) ip_address: String,
    pub(crate) notify_url: String,
    pub(crate) return_url: String,
    pub(crate) payment_url: String,
    pub(crate) created_at_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) finished_at_ms: Option<i64>,
    #[serde(skip)]
    pub(crate) paid_day: Option<LocalDay>,
    /// Queries find it from this time on (a gateway slow to create).
    #[serde(skip)]
    pub(crate) visible_from_ms: i64,
}

/// What a checkout asks to create.
#[derive(Debug, Clone)]
pub(crate) struct NewOrder {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    pub(crate) trade_no: String,
    pub(crate) amount: Cents,
    pub(crate) remark: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) ip_address: String,
    pub(crate) notify_url: String,
    pub(crate) return_url: String,
}

//! What a program reads of the sandbox's books: orders, payouts and
//! balances as plain public values, copied out under the state's lock, so
//! a simulation can compare runs and check its invariants against the
//! gateway's own records without parsing the control routes' JSON.

use serde::Serialize;

use crate::book::ledger::Balance;

use crate::book::records::{Order, Payout};

/// A pay-in order (a checkout or deposit), as the sandbox holds it.
/// Amounts are in hundredths of the region's currency (`30050` is `300.50`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderView {
    /// The merchant it belongs to.
    pub merchant_no: String,
    /// The region of the endpoint that created it.
    pub region: String,
    /// The merchant's order number.
    pub trade_no: String,
    /// The sandbox's order number.
    pub plat_form_trade_no: String,
    /// The `data.status` code: `0015` paying, `0000` paid, `0001` partly
    /// paid, `00029` failed.
    pub status: String,
    /// The amount ordered.
    pub amount_cents: u64,
    /// The amount paid.
    pub paid_amount_cents: u64,
    /// The `notifyUrl` its notifications go to.
    pub notify_url: String,
    /// When it was created, on the sandbox clock (ms since the Unix epoch).
    pub created_at_ms: i64,
    /// When the payer finished it, on the sandbox clock.
    pub finished_at_ms: Option<i64>,
    /// From when queries find it, on the sandbox clock (later than
    /// `created_at_ms` when its creation was hidden for a while).
    pub visible_from_ms: i64,
}

impl From<&Order> for OrderView {
    fn from(order: &Order) -> Self {
        Self {
            merchant_no: order.merchant_no.clone(),
            region: order.region.clone(),
            trade_no: order.trade_no.clone(),
            plat_form_trade_no: order.plat_form_trade_no.clone(),
            status: order.status.code().to_owned(),
            amount_cents: order.amount.hundredths(),
            paid_amount_cents: order.paid_amount.hundredths(),
            notify_url: order.notify_url.clone(),
            created_at_ms: order.created_at_ms,
            finished_at_ms: order.finished_at_ms,
            visible_from_ms: order.visible_from_ms,
        }
    }
}

/// A payout, as the sandbox holds it. Amounts in hundredths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PayoutView {
    /// The merchant it belongs to.
    pub merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub region: String,
    /// The merchant's payout number.
    pub trade_no: String,
    /// The sandbox's payout number.
    pub plat_form_trade_no: String,
    /// The `data.status` code: `0015` processing, `0000` paid out, `00029`
    /// failed.
    pub status: String,
    /// The amount paid out (or frozen, or given back).
    pub amount_cents: u64,
    /// The `notifyUrl` its notifications go to.
    pub notify_url: String,
    /// When it was created, on the sandbox clock (ms since the Unix epoch).
    pub created_at_ms: i64,
    /// When it was paid out or failed, on the sandbox clock.
    pub finished_at_ms: Option<i64>,
    /// From when queries find it, on the sandbox clock.
    pub visible_from_ms: i64,
}

impl From<&Payout> for PayoutView {
    fn from(payout: &Payout) -> Self {
        Self {
            merchant_no: payout.merchant_no.clone(),
            region: payout.region.clone(),
            trade_no: payout.trade_no.clone(),
            plat_form_trade_no: payout.plat_form_trade_no.clone(),
            status: payout.status.code().to_owned(),
            amount_cents: payout.amount.hundredths(),
            notify_url: payout.notify_url.clone(),
            created_at_ms: payout.created_at_ms,
            finished_at_ms: payout.finished_at_ms,
            visible_from_ms: payout.visible_from_ms,
        }
    }
}

/// A merchant's balances in one region, as the balance query reports
/// them, in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BalanceView {
    /// Payouts may take this: the opening balance and money paid in on an
    /// earlier local day (T+1), less what payouts hold or took.
    pub available_cents: u64,
    /// Held by processing payouts.
    pub frozen_cents: u64,
    /// Paid in today (local day), available tomorrow.
    pub unsettled_cents: u64,
}

impl From<Balance> for BalanceView {
    fn from(balance: Balance) -> Self {
        Self {
            available_cents: balance.available.hundredths(),
            frozen_cents: balance.frozen.hundredths(),
            unsettled_cents: balance.unsettled.hundredths(),
        }
    }
}

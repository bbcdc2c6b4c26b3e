//! Why the book refuses: what it does not take (and so the gateway's
//! answer), and the outcomes it cannot apply.

use crate::book::status::{OrderStatus, ProcessStatus};

/// Why an outcome cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SettleError {
    NotFound,
    /// The order already has a final status.
    Finished(OrderStatus),
    /// The outcome cannot be applied to this order (a part of nothing).
    NotPossible(&'static str),
    /// The books would not fit the amount (creating the order makes sure
    /// they do, so this is the guard of a broken invariant).
    Overflow,
}

/// What [`SettleError::Overflow`] and [`FinishError::Overflow`] mean,
/// in words.
pub(crate) const OVERFLOW: &str =
    "the merchant's balance would pass the largest amount the sandbox keeps; nothing was changed";

/// Why the outcome of a payout, or of a record of a kind served from its
/// spec, cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FinishError {
    NotFound,
    /// It already has a final status.
    Finished(ProcessStatus),
    /// The books would not fit the amount (see `SettleError::Overflow`).
    Overflow,
}

/// Why the book does not take an order or a payout: the reason, which the
/// gateway answers with its code, and a message naming the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) reason: Reason,
    pub(crate) message: String,
}

impl Refused {
    pub(crate) fn new(reason: Reason, message: impl Into<String>) -> Self {
        Self { reason, message: message.into() }
    }
}

/// What the book cannot take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// The merchant already used this `tradeNo` (for an order, or for a payout).
    DuplicateTradeNo,
    /// The payer's IP already has the day's most orders (`IP_DAILY_ORDERS`).
    IpDailyOrderLimit,
    /// The payer's IP already has the day's most successful orders
    /// (`IP_DAILY_SUCCESSES`).
    IpSuccessLimit,
    /// A payout larger than the available balance.
    InsufficientBalance,
    /// An amount the merchant's balance could not hold.
    AmountOverflow,
}

/// The refusal of anything whose amount the books cannot hold.
pub(crate) fn overflow_refusal(what: &str) -> Refused {
    Refused::new(
        Reason::AmountOverflow,
        format!("amount: {what} would take the merchant's balance past the largest amount the sandbox keeps"),
    )
}

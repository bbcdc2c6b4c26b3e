//! An order's, a payout's or a record's outcome: written in the book, then
//! its signed notification started. The cashier, the control routes and
//! `SandboxControl` all finish orders, payouts and records this one way.

use std::sync::Arc;

use crate::book::Book;
use crate::book::records::{Order, PaymentOutcome, Payout};
use crate::book::refusals::{FinishError, SettleError};
use crate::book::spec_records::SpecRecord;
use crate::notify::notice::Notice;
use crate::notify::notifier::Notifier;

/// Applies the payer's choice to the order `plat_form_trade_no` and starts
/// its notification; returns the order as finished.
pub(crate) fn finish_order(
    book: &Book,
    notifier: &Arc<Notifier>,
    plat_form_trade_no: &str,
    outcome: PaymentOutcome,
) -> Result<Order, SettleError> {
    let now = book.clock.now_ms();
    let order = book.state().settle(plat_form_trade_no, outcome, now, book.clock.day_of(now))?;
    // Orders are only created for known merchants, so the secret is there.
    if let Some(secret) = book.secret(&order.merchant_no) {
        notifier.notify(Notice::of_order(&order, &book.clock), secret.to_owned());
    }
    Ok(order)
}

/// Pays out (`paid`) or fails the merchant's payout `trade_no` and starts
/// its notification; returns the payout as finished.
pub(crate) fn finish_payout(
    book: &Book,
    notifier: &Arc<Notifier>,
    merchant_no: &str,
    trade_no: &str,
    paid: bool,
) -> Result<Payout, FinishError> {
    let payout = book.state().settle_payout(merchant_no, trade_no, paid, book.clock.now_ms())?;
    if let Some(secret) = book.secret(merchant_no) {
        notifier.notify(Notice::of_payout(&payout, &book.clock), secret.to_owned());
    }
    Ok(payout)
}

/// Finishes the record `platform_id` of a kind served from its spec
/// (`succeeded` or failed), moving its money as its spec says, and starts
/// its notification when it has a `notifyUrl`; returns it as finished.
pub(crate) fn finish_record(
    book: &Book,
    notifier: &Arc<Notifier>,
    platform_id: &str,
    succeeded: bool,
) -> Result<SpecRecord, FinishError> {
    let now = book.clock.now_ms();
    let record = book.state().settle_record(platform_id, succeeded, now, book.clock.day_of(now))?;
    let notify_url = record.notify_url.as_deref().filter(|url| !url.is_empty());
    if let (Some(notify_url), Some(secret)) = (notify_url, book.secret(&record.merchant_no)) {
        notifier.notify(Notice::of_record(&record, notify_url, &book.clock), secret.to_owned());
    }
    Ok(record)
}

//! Steering a sandbox from the program that runs it: the clock, the
//! payers' and the payouts' outcomes, faults, and reading its books. The
//! control routes under `/sandbox/` do the same over HTTP; this is the
//! typed way, for a simulation that runs the sandbox in process and for
//! tests of a sandbox behind a socket alike.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;

use crate::book::records::PaymentOutcome;

use crate::book::state::Entry;
use crate::book::views::{BalanceView, OrderView, PayoutView};
use crate::notify::delivery::DeliveryRecord;
use crate::notify::outcome::{finish_order, finish_payout};
use crate::server::app::App;
use crate::web::caller::Refused;
use crate::web::control;
use crate::web::faults::Fault;
use crate::web::stats::SandboxStats;

/// Why a control action was refused; the message is the control route's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// No such order or payout (the route's `404`).
    #[error("{0}")]
    NotFound(String),
    /// The order or payout cannot take this outcome, e.g. it is already
    /// finished (the route's `409`).
    #[error("{0}")]
    Conflict(String),
    /// The request itself is unusable, e.g. a meaningless fault (the
    /// route's `400`).
    #[error("{0}")]
    Invalid(String),
}

impl From<Refused> for ControlError {
    fn from((status, message): Refused) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::NotFound(message),
            StatusCode::CONFLICT => Self::Conflict(message),
            _ => Self::Invalid(message),
        }
    }
}

/// The control of one sandbox, in process or behind a socket (from
/// [`RunningSandbox::control`](crate::RunningSandbox::control) or
/// [`InProcessSandbox::control`](crate::InProcessSandbox::control)).
/// Clones control the same sandbox.
#[derive(Clone)]
pub struct SandboxControl {
    pub(crate) app: Arc<App>,
}

impl fmt::Debug for SandboxControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxControl").field("app", &self.app).finish()
    }
}

impl SandboxControl {
    /// The sandbox clock now, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.app.book.clock.now_ms()
    }

    /// Moves the sandbox clock `by` forward (as `POST
    /// /sandbox/clock/advance` does) and returns its new reading: retries it
    /// makes due fire, earlier local days' collections settle. The only way
    /// a simulated clock moves.
    pub fn advance_clock(&self, by: Duration) -> i64 {
        self.app.book.clock.advance(by)
    }

    /// Every order, oldest first.
    pub fn orders(&self) -> Vec<OrderView> {
        let state = self.app.book.state();
        state
            .timeline()
            .filter_map(|entry| match entry {
                Entry::Order(order) => Some(OrderView::from(order)),
                Entry::Payout(_) | Entry::Record(_) => None,
            })
            .collect()
    }

    /// Every payout, oldest first.
    pub fn payouts(&self) -> Vec<PayoutView> {
        let state = self.app.book.state();
        state
            .timeline()
            .filter_map(|entry| match entry {
                Entry::Payout(payout) => Some(PayoutView::from(payout)),
                Entry::Order(_) | Entry::Record(_) => None,
            })
            .collect()
    }

    /// The merchant's balances in `region` (a `spec/` folder name) now, as
    /// the balance query would answer; `None` only if the books broke their
    /// own bound.
    pub fn balance(&self, merchant_no: &str, region: &str) -> Option<BalanceView> {
        self.app.book.state().balance(merchant_no, region, self.app.book.clock.today()).map(BalanceView::from)
    }

    /// Every notification attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.app.notifier.log().deliveries()
    }

    /// Applies the payer's choice to the merchant's paying order `trade_no`,
    /// as the cashier does, and starts its signed notification; returns the
    /// order as finished.
    pub fn finish_order(
        &self,
        merchant_no: &str,
        trade_no: &str,
        outcome: PaymentOutcome,
    ) -> Result<OrderView, ControlError> {
        let plat_form_trade_no = control::find_order(&self.app.book, trade_no, Some(merchant_no))?;
        let order = finish_order(&self.app.book, &self.app.notifier, &plat_form_trade_no, outcome)
            .map_err(|problem| control::order_refusal(trade_no, problem))?;
        Ok(OrderView::from(&order))
    }

    /// Pays out (`paid`) or fails the merchant's processing payout
    /// `trade_no` and starts its signed notification; returns the payout as
    /// finished.
    pub fn finish_payout(&self, merchant_no: &str, trade_no: &str, paid: bool) -> Result<PayoutView, ControlError> {
        let payout = finish_payout(&self.app.book, &self.app.notifier, merchant_no, trade_no, paid)
            .map_err(|problem| control::payout_refusal(merchant_no, trade_no, problem))?;
        Ok(PayoutView::from(&payout))
    }

    /// Queues a fault for the next matching API requests, as `POST
    /// /sandbox/faults` does.
    pub fn add_fault(&self, fault: Fault) -> Result<(), ControlError> {
        fault.validate().map_err(ControlError::Invalid)?;
        self.app.web.faults().push(fault);
        Ok(())
    }

    /// The faults waiting for requests.
    pub fn faults(&self) -> Vec<Fault> {
        self.app.web.faults().active()
    }

    /// Clears every waiting fault.
    pub fn clear_faults(&self) {
        self.app.web.faults().clear();
    }

    /// Waits until the notifier has made every attempt that is due on the
    /// sandbox clock: first attempts of notifications started, and every
    /// retry an advance made due, each answered (or timed out) and logged.
    /// A simulation calls it after each step, so that what it does next
    /// never races a delivery. A delivery hook that waits for the caller
    /// to act would wait for ever: answer, or fail, instead.
    pub async fn quiesce(&self) {
        self.app.notifier.activity.idle(&self.app.book.clock).await;
    }

    /// Requests received (and connections accepted, behind a socket).
    pub fn stats(&self) -> SandboxStats {
        self.app.stats()
    }
}

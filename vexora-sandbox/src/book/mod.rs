//! The sandbox's books: its merchants, orders, payouts, the records of
//! kinds served from their spec alone, identity checks, balances and the
//! ledger of money, and the clock they are kept by. Imports nothing of the
//! other wings.

pub(crate) mod applications;
pub(crate) mod calendar;
pub(crate) mod clock;
pub(crate) mod ids;
pub(crate) mod ledger;
pub(crate) mod money;
pub(crate) mod records;
pub(crate) mod refusals;
pub(crate) mod spec_records;
pub(crate) mod state;
pub(crate) mod status;
pub(crate) mod views;
pub(crate) mod visibility;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use self::applications::Applications;
use self::clock::SandboxClock;
use self::state::State;

/// The books of one sandbox, shared by the gateway, the web pages and the
/// notifier. Each table has its own lock, and nothing holds one across an
/// `.await`.
pub(crate) struct Book {
    /// `merchantNo` → app secret.
    merchants: HashMap<String, String>,
    state: Mutex<State>,
    applications: Mutex<Applications>,
    pub(crate) clock: SandboxClock,
}

impl fmt::Debug for Book {
    // Secrets stay out of logs: the merchants' numbers only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Book")
            .field("merchants", &self.merchant_numbers())
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl Book {
    /// Books for `merchants` (`merchantNo` → app secret), opened as `state`.
    pub(crate) fn new(merchants: HashMap<String, String>, state: State, clock: SandboxClock) -> Self {
        Self { merchants, state: Mutex::new(state), applications: Mutex::default(), clock }
    }

    /// Orders, payouts and balances.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        state::lock(&self.state)
    }

    /// Identity checks.
    pub(crate) fn applications(&self) -> MutexGuard<'_, Applications> {
        self.applications.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The merchant `merchant_no` as `(merchantNo, app secret)`, if it is one
    /// of this sandbox's.
    pub(crate) fn merchant(&self, merchant_no: &str) -> Option<(&str, &str)> {
        self.merchants.get_key_value(merchant_no).map(|(no, secret)| (no.as_str(), secret.as_str()))
    }

    /// The app secret of `merchant_no`, if it is a merchant of this sandbox.
    pub(crate) fn secret(&self, merchant_no: &str) -> Option<&str> {
        self.merchants.get(merchant_no).map(String::as_str)
    }

    /// Every merchant's number, in order.
    pub(crate) fn merchant_numbers(&self) -> Vec<&str> {
        let mut numbers: Vec<&str> = self.merchants.keys().map(String::as_str).collect();
        numbers.sort_unstable();
        numbers
    }
}

//! The sandbox's own pages and routes: the cashier, the dashboard, and the
//! control routes under `/sandbox/` that scripts and the dashboard use.
//! Imports the book and the notifier, never the gateway or the server.

pub(crate) mod caller;
pub(crate) mod cashier;
pub(crate) mod control;
pub(crate) mod dashboard;
pub(crate) mod dashboard_html;
pub(crate) mod faults;
pub(crate) mod form;
pub(crate) mod json;
pub(crate) mod kyc;
pub(crate) mod listing;
pub(crate) mod page;
pub(crate) mod routes;
pub(crate) mod stats;

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::book::Book;
use crate::notify::notifier::Notifier;
use crate::web::faults::FaultQueue;
use crate::web::stats::Counters;

/// What the pages and the control routes work on: the book, the notifier
/// that finishing an order or payout starts, the fault switch and the
/// counters (both of which the server reads as it serves).
pub(crate) struct Web {
    pub(crate) book: Arc<Book>,
    pub(crate) notifier: Arc<Notifier>,
    faults: Mutex<FaultQueue>,
    pub(crate) counters: Counters,
}

impl fmt::Debug for Web {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Web").field("book", &self.book).field("counters", &self.counters).finish_non_exhaustive()
    }
}

impl Web {
    pub(crate) fn new(book: Arc<Book>, notifier: Arc<Notifier>) -> Self {
        Self { book, notifier, faults: Mutex::default(), counters: Counters::default() }
    }

    /// The faults waiting for API requests.
    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultQueue> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

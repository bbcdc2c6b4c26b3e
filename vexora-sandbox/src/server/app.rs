//! What every handler of a running sandbox shares.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::book::applications::Applications;
use crate::book::clock::SandboxClock;
use crate::book::state::{self, Order, PaymentOutcome, Payout, PayoutSettleError, SettleError, State};
use crate::book::visibility::VisibilityDelay;
use crate::gateway::body::Fields;
use crate::gateway::envelope::Refusal;
use crate::gateway::rules::RequestRules;
use crate::gateway::specs::SpecSource;
use crate::notify::notice::Notice;
use crate::notify::notifier::Notifier;
use crate::server::origin::AllowedHosts;
use crate::web::faults::FaultQueue;

/// Counters of a running sandbox, as `GET /sandbox/stats` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SandboxStats {
    /// TCP connections accepted (a client that reuses connections keeps
    /// this low).
    pub connections_accepted: u64,
    /// HTTP requests received, on every route.
    pub requests: u64,
}

/// One endpoint from `spec/`, served at `/<region><path>`.
#[derive(Debug)]
pub(crate) struct Endpoint {
    pub(crate) route: String,
    /// The spec's region: whose balance the money moving here is in.
    pub(crate) region: String,
    pub(crate) rules: RequestRules,
    pub(crate) handler: Handler,
    /// The wire name of Vexora's id in this endpoint's `data` (see
    /// `api::platform_id_name`).
    pub(crate) platform_id: &'static str,
}

/// An endpoint's business logic, run on a request that passed every check;
/// returns the envelope's `data` as JSON.
pub(crate) type Handler = fn(&App, &Call<'_>) -> Result<Box<RawValue>, Refusal>;

/// A judged request.
pub(crate) struct Call<'a> {
    pub(crate) merchant_no: &'a str,
    /// The endpoint's region (each region has its currency and balance).
    pub(crate) region: &'a str,
    pub(crate) fields: &'a Fields,
    /// The wire name of Vexora's id in the answer's `data`.
    pub(crate) platform_id: &'static str,
    /// How long what this request creates stays hidden from queries (a
    /// `visible_after_ms` fault); 0 for most requests.
    pub(crate) hidden_for_ms: i64,
}

/// A request's `visible_after_ms` fault, carried to the handler that
/// creates the order or payout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HiddenFor(pub(crate) i64);

impl Call<'_> {
    /// A present field's text, or `""` (only for fields the spec requires,
    /// which judging has already checked).
    pub(crate) fn text(&self, name: &str) -> &str {
        self.fields.text(name).unwrap_or_default()
    }
}

/// The running sandbox's shared parts.
pub(crate) struct App {
    /// `merchantNo` → app secret.
    pub(crate) merchants: HashMap<String, String>,
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) spec_source: SpecSource,
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) faults: Mutex<FaultQueue>,
    pub(crate) applications: Mutex<Applications>,
    pub(crate) clock: SandboxClock,
    pub(crate) timestamp_tolerance_ms: i64,
    /// `http://<addr>`, for the cashier links.
    pub(crate) public_url: String,
    /// What a request's `Host` may name (see `origin.rs`).
    pub(crate) hosts: AllowedHosts,
    pub(crate) notifier: Arc<Notifier>,
    /// How long new orders and payouts stay hidden from queries, by key.
    pub(crate) visibility_delay: Option<VisibilityDelay>,
    pub(crate) connections_accepted: AtomicU64,
    pub(crate) requests: AtomicU64,
}

impl fmt::Debug for App {
    // Secrets and the payers' data stay out of logs: numbers and routes only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut merchants: Vec<_> = self.merchants.keys().collect();
        merchants.sort_unstable();
        let routes: Vec<_> = self.endpoints.iter().map(|endpoint| &endpoint.route).collect();
        f.debug_struct("App")
            .field("public_url", &self.public_url)
            .field("merchants", &merchants)
            .field("routes", &routes)
            .field("spec_source", &self.spec_source)
            .finish_non_exhaustive()
    }
}

impl App {
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        state::lock(&self.state)
    }

    pub(crate) fn applications(&self) -> MutexGuard<'_, Applications> {
        self.applications.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultQueue> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn stats(&self) -> SandboxStats {
        SandboxStats {
            connections_accepted: self.connections_accepted.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
        }
    }

    /// Whether `path` is one of the endpoints from `spec/`.
    pub(crate) fn is_api_path(&self, path: &str) -> bool {
        self.endpoints.iter().any(|endpoint| endpoint.route == path)
    }

    /// Moves the clock `by` forward (saturating) and returns its new reading.
    pub(crate) fn advance_clock(&self, by: std::time::Duration) -> i64 {
        self.clock.advance_ms(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
        self.clock.now_ms()
    }

    /// Pays out or fails a payout and starts its signed notification.
    pub(crate) fn finish_payout(
        &self,
        merchant_no: &str,
        trade_no: &str,
        paid: bool,
    ) -> Result<Payout, PayoutSettleError> {
        let payout = self.state().settle_payout(merchant_no, trade_no, paid, self.clock.now_ms())?;
        if let Some(secret) = self.merchants.get(merchant_no) {
            self.notifier.notify(Notice::of_payout(&payout, &self.clock), secret.clone());
        }
        Ok(payout)
    }

    /// Applies the payer's choice and starts the signed notification.
    pub(crate) fn finish_order(&self, plat_form_trade_no: &str, outcome: PaymentOutcome) -> Result<Order, SettleError> {
        let now = self.clock.now_ms();
        let order = self.state().settle(plat_form_trade_no, outcome, now, self.clock.day_of(now))?;
        // Orders are only created for known merchants, so the secret is there.
        if let Some(secret) = self.merchants.get(&order.merchant_no) {
            self.notifier.notify(Notice::of_order(&order, &self.clock), secret.clone());
        }
        Ok(order)
    }
}

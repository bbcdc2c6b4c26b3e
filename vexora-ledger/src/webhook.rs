//! Webhook glue on the ledger (feature `axum`): verify the notification,
//! settle it in the ledger, and acknowledge `OK` only after the
//! transaction commits. A notification the ledger cannot store yet is
//! answered `503 RETRY`, so the gateway delivers it again.
//!
//! Pay-ins and payouts look alike on the wire, so each kind has its own
//! route (and each create names its kind's route as `notifyUrl`):
//! [`Webhook::router`] serves `/vexora/pay-in` and `/vexora/payout`.
//!
//! ```
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! use vexora::notification::Verifier;
//! use vexora::AppSecret;
//! use vexora_ledger::webhook::Webhook;
//! use vexora_ledger::Ledger;
//!
//! # let dir = tempfile::tempdir()?;
//! let ledger = Ledger::connect(&format!("sqlite:{}", dir.path().join("shop.db").display())).await?;
//! let webhook = Webhook::new(ledger, Verifier::new(AppSecret::new("test-app-secret-123"))).with_books(|tx, change| {
//!     Box::pin(async move {
//!         // The merchant's own tables, in the ledger's transaction.
//!         if let Some(credit) = change.credit() {
//!             sqlx::query("UPDATE orders SET credited = $1 WHERE trade_no = $2")
//!                 .bind(credit.to_string())
//!                 .bind(change.keys.get("tradeNo"))
//!                 .execute(&mut **tx)
//!                 .await?;
//!         }
//!         Ok(())
//!     })
//! });
//! let app: axum::Router = webhook.router();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use vexora::notification::{Acknowledgement, Verifier};
use vexora::webhook::{VerifiedPayIn, VerifiedPayout};

use crate::ledger::Books;
use crate::{BoxError, BoxFuture, Change, Ledger, Observation, Transaction};

/// The body of the answer that makes the gateway retry.
pub const RETRY_BODY: &str = "RETRY";

/// The state of the ledger's webhook routes: the ledger, the verifier, and
/// the merchant's code to run in each settlement's transaction.
#[derive(Clone)]
pub struct Webhook {
    ledger: Ledger,
    verifier: Verifier,
    books: Option<Arc<Books>>,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("ledger", &self.ledger)
            .field("books", &self.books.is_some())
            .finish_non_exhaustive()
    }
}

impl Webhook {
    /// Settles into `ledger` what `verifier` accepts.
    pub fn new(ledger: Ledger, verifier: Verifier) -> Self {
        Self { ledger, verifier, books: None }
    }

    /// Runs `books` in every settlement's transaction that changes a
    /// record (see [`Ledger::settle_with`]). If it fails, nothing is kept
    /// and the gateway is answered 503, so it retries.
    pub fn with_books<F>(mut self, books: F) -> Self
    where
        F: for<'t> Fn(&'t mut Transaction, &'t Change) -> BoxFuture<'t, Result<(), BoxError>> + Send + Sync + 'static,
    {
        self.books = Some(Arc::new(books));
        self
    }

    /// `POST /vexora/pay-in` ([`pay_in`]) and `POST /vexora/payout`
    /// ([`payout`]). Merge it into your app, or route the handlers yourself.
    pub fn router(self) -> Router {
        Router::new().route("/vexora/pay-in", post(pay_in)).route("/vexora/payout", post(payout)).with_state(self)
    }

    /// Settles `observation`, and answers: `200 OK` once it is committed
    /// (applied, a duplicate, or kept for a person), `503 RETRY` if it could
    /// not be stored. For handlers of your own.
    pub async fn settle(&self, observation: Result<Observation, crate::Error>) -> Response {
        let settled = match observation {
            Ok(observation) => match &self.books {
                Some(books) => self.ledger.settle_with(&observation, |tx, change| books(tx, change)).await,
                None => self.ledger.settle(&observation).await,
            },
            Err(error) => Err(error),
        };
        match settled {
            Ok(_) => Acknowledgement.into_response(),
            Err(error) => {
                tracing::error!(%error, "vexora-ledger: notification not stored, the gateway will retry");
                (StatusCode::SERVICE_UNAVAILABLE, RETRY_BODY).into_response()
            }
        }
    }
}

impl FromRef<Webhook> for Verifier {
    fn from_ref(webhook: &Webhook) -> Verifier {
        webhook.verifier.clone()
    }
}

/// The pay-in route's handler: a notification verified by
/// [`VerifiedPayIn`] (forged ones are answered 400 before this runs),
/// settled, acknowledged after the commit.
pub async fn pay_in(State(webhook): State<Webhook>, VerifiedPayIn(notification): VerifiedPayIn) -> Response {
    webhook.settle(Observation::pay_in_notification(&notification)).await
}

/// The payout route's handler; otherwise as [`pay_in`].
pub async fn payout(State(webhook): State<Webhook>, VerifiedPayout(notification): VerifiedPayout) -> Response {
    webhook.settle(Observation::payout_notification(&notification)).await
}

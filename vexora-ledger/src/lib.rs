//! # vexora-ledger
//!
//! The merchant's books for the Vexora SDK, in the merchant's own database:
//! SQLite (`sqlite:PATH`, embedded, nothing to install) or Postgres
//! (`postgres://...`, for receivers and workers on several machines).
//!
//! - **Intents before sending.** [`Ledger::record_intent`] stores what is
//!   about to be sent (merchant number, region, endpoint, the record's
//!   keys, the amount, a hash of the signed fields; never the payer's data)
//!   and commits, so a crash between sending and recording loses nothing.
//! - **One settlement path, exactly once.** Answers, query results and
//!   verified notifications become an [`Observation`], and
//!   [`Ledger::settle_with`] applies it once: a record moves only forward
//!   (`paid` and `failed` never reopen, "not found" is never final), and
//!   the money moved is the difference in what was paid so far, so a query
//!   and a notification that both say "paid" credit once, in either order.
//!   The merchant's own tables change in the same transaction.
//! - **Kept for a person.** What the ledger cannot apply on its own (a
//!   `tradeNo` it never recorded, an amount that does not fit) is stored,
//!   logged at WARN, and listed by [`Ledger::needs_attention`].
//! - **A reconciler.** [`Reconciler`] (or [`reconcile_once`] for a cron
//!   job) claims records whose outcome is unknown or overdue under a lease
//!   ([`Ledger::claim_due`]), queries each with its create's own read
//!   outside any transaction, settles the answer through the same path,
//!   and backs off. It never sends a create: what the gateway does not know
//!   is kept for a person.
//!
//! With the `axum` feature, [`webhook`] verifies notifications, settles
//! them, and acknowledges only after the commit.
//!
//! ```
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! use vexora::notification::Verifier;
//! use vexora::taiwan::PayoutRequest;
//! use vexora::AppSecret;
//! use vexora_ledger::{Intent, Kind, Ledger, Money, Observation, Settled};
//!
//! let dir = tempfile::tempdir()?;
//! let ledger = Ledger::connect(&format!("sqlite:{}", dir.path().join("shop.db").display())).await?;
//!
//! // 1. Before the payout is sent.
//! let payout = PayoutRequest::builder()
//!     .trade_no("P1")
//!     .amount(300)
//!     .bank_code("004")
//!     .bank_number("3560123456789012")
//!     .mobile("0912345678")
//!     .email("payee@example.com")
//!     .name("Lin Mei")
//!     .notify_url("https://shop.example/vexora/payout")
//!     .build();
//! ledger.record_intent(&Intent::of(Kind::Payout, "0000000001", &payout)?).await?;
//!
//! // 2. The gateway's notification, verified at the payout notifyUrl.
//! let body = br#"{"tradeNo":"P1","status":"0000","amount":"300.00","sign":"5ae8dbf27011d88e4d9f033c9f878b78"}"#;
//! let notification = Verifier::new(AppSecret::new("k")).payout(body)?;
//! let observation = Observation::payout_notification(&notification)?;
//! match ledger.settle(&observation).await? {
//!     Settled::Applied(change) => assert_eq!(change.debit(), Some(Money::from(300))),
//!     other => panic!("{other:?}"),
//! }
//! // Delivered again: nothing moves.
//! assert_eq!(ledger.settle(&observation).await?, Settled::Duplicate);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod books;
mod error;
mod intent;
mod keys;
mod ledger;
mod money;
mod observation;
mod reconciler;
mod state;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod webhook;

pub use books::{Attention, Change, Claim, Event, Record, Settled};
pub use error::{BoxError, Error};
pub use intent::Intent;
pub use keys::{Kind, RecordKeys};
pub use ledger::{BoxFuture, Ledger, Options, Transaction};
pub use money::Money;
pub use observation::{Observation, Reported, Source};
pub use reconciler::{Examined, Outcome, Reconciler, ReconcilerOptions, Summary, reconcile_once};
pub use state::State;

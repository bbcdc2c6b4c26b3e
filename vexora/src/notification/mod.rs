//! Verified payment notifications (the gateway's webhook to your `notifyUrl`).
//!
//! The gateway POSTs a signed JSON object to the request's `notifyUrl`
//! whenever a trade's status changes. A [`Verifier`] checks the signature
//! over the body **exactly as received** (every top-level field except
//! `sign`, including fields this SDK does not know, numbers as their
//! original text) and only then reads the typed fields.
//!
//! Pay-in and payout notifications carry the same fields, and one `tradeNo`
//! may name both an order and a payout, so what a notification is about is
//! decided by **where it arrived**: give checkouts (and deposits) one
//! `notifyUrl` and payouts another, e.g. `https://shop.example/vexora/pay-in`
//! and `https://shop.example/vexora/payout`, and verify each route with its
//! kind: [`Verifier::pay_in`] gives a [`PayInNotification`], whose
//! [`settlement`](PayInNotification::settlement) says what it means for the
//! order; [`Verifier::payout`] gives a [`PayoutNotification`], whose
//! [`outcome`](PayoutNotification::outcome) says what it means for the
//! payout. Each has a [`dedup_key`](PayInNotification::dedup_key) that
//! includes its kind. [`Acknowledgement`] is the reply that stops the
//! gateway's retries.
//!
//! ```
//! use vexora::notification::{Acknowledgement, Settlement, Verifier};
//! use vexora::types::DecimalText;
//! use vexora::AppSecret;
//!
//! /// Your pay-in webhook handler: returns HTTP status, content type and body.
//! fn handle(raw_body: &[u8], verifier: &Verifier, order_amount: &DecimalText) -> (u16, &'static str, &'static str) {
//!     let notification = match verifier.pay_in(raw_body) {
//!         Ok(notification) => notification,
//!         // Never acknowledge what failed verification; the gateway retries.
//!         Err(error) => {
//!             eprintln!("refused notification: {error}");
//!             return (400, "text/plain", "FAIL");
//!         }
//!     };
//!     // A real handler looks the order up by `notification.trade_no` and, in
//!     // one transaction, records `notification.dedup_key()` and applies:
//!     match notification.settlement(order_amount) {
//!         Settlement::PaidInFull { amount } => println!("credit {amount}, order paid"),
//!         Settlement::PaidInPart { amount } => println!("credit {amount} only"),
//!         Settlement::Pending => println!("nothing yet"),
//!         Settlement::Failed => println!("payment failed"),
//!         other => println!("credit nothing, investigate: {other:?}"),
//!     }
//!     // If that transaction failed, reply 5xx instead so the gateway retries.
//!     (Acknowledgement::STATUS, Acknowledgement::CONTENT_TYPE, Acknowledgement::BODY)
//! }
//!
//! let verifier = Verifier::new(AppSecret::new("test-app-secret-123"));
//! let order_amount = DecimalText::parse("300").ok_or("not a decimal")?;
//! let body = r#"{"platFormTradeNo":"c167o1itir0fypid","tradeNo":"00000007","amount":"300",
//!     "status":"0000","message":"success","remark":"000000","sign":"d2a1dfad392f7d937b2cc1660401a647"}"#;
//! assert_eq!(handle(body.as_bytes(), &verifier, &order_amount), (200, "text/plain", "OK"));
//!
//! // Change one field and the notification is refused, so not acknowledged.
//! let forged = body.replace(r#""amount":"300""#, r#""amount":"3000""#);
//! assert_eq!(handle(forged.as_bytes(), &verifier, &order_amount).0, 400);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # A verified notification for an order you do not know
//!
//! Acknowledge it and record it for a person to follow up; do not answer
//! 4xx. The signature proves the gateway sent it for your merchant account,
//! so an unknown `tradeNo` means another system shares the account or your
//! order record was lost: retrying cannot fix either, and a refusal keeps the
//! gateway retrying for hours (see [`GATEWAY_RETRY_DELAYS`]). Store each order
//! before its checkout request is sent, so a notification can never arrive
//! for an order you have not yet written. The `vexora-ledger` crate does
//! both: it records each intent before sending, and keeps a verified
//! notification for an unknown `tradeNo` for a person, acknowledged.
//!
//! Signed fields are everything at the top level except `sign`, objects,
//! arrays, `null` and `""` (see [`crate::signing`]). Objects and
//! arrays are therefore *not* authenticated; they are kept apart in
//! [`Notification::unsigned`].

mod ack;
mod error;
mod kind;
mod payout;
mod settlement;
mod strict;
mod typed;
mod verifier;
mod verify;

pub use ack::{Acknowledgement, GATEWAY_RETRY_DELAYS};
pub use error::NotificationError;
pub use kind::{DedupKey, NotificationKind, PayInNotification, PayoutNotification};
pub use payout::PayoutOutcome;
pub use settlement::Settlement;
pub use strict::VerifyOptions;
pub use typed::{ExtraValue, Notification};
pub use verifier::Verifier;
pub use verify::{MAX_BODY_BYTES, SecretUsed, canonical, signature, verify, verify_with, verify_with_secret_bytes};

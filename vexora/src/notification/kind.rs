//! What a notification is about: a pay-in order or a payout. Their
//! notifications carry the same fields, and a merchant may use one `tradeNo`
//! for an order and for a payout, so the kind is never read from the
//! fields: it is the `notifyUrl` the notification arrived at. Give each kind
//! its own `notifyUrl` and verify with [`Verifier::pay_in`](super::Verifier::pay_in)
//! or [`Verifier::payout`](super::Verifier::payout) (with the `axum`
//! feature, the `VerifiedPayIn` and `VerifiedPayout` extractors) on each.

use std::fmt;
use std::ops::Deref;

use super::typed::Notification;
use crate::types::TradeNo;

/// What a notification is about, decided by the URL it arrived at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotificationKind {
    /// A pay-in order (a checkout, a deposit): sent to the create's `notifyUrl`.
    PayIn,
    /// A payout: sent to the payout's `notifyUrl`.
    Payout,
}

impl NotificationKind {
    /// `pay_in` or `payout`, for database columns and logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PayIn => "pay_in",
            Self::Payout => "payout",
        }
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The key under which to process a notification at most once: its kind,
/// its `tradeNo` and its status code.
///
/// The gateway sends a notification again until it gets `OK`, and status
/// updates can arrive out of order (a late `0015` after the `0000`). So make
/// processing idempotent: record the key in the same transaction that
/// applies the change, acknowledge a key already recorded without applying
/// it again, and never move a record from a final state (paid, failed) back
/// to pending. Should a second `0001` arrive with another amount, that is a
/// new partial payment the key does not tell apart: compare the amount with
/// what you recorded. The kind is part of the key, so an order's `0000`
/// never hides a payout's under the same `tradeNo`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DedupKey {
    /// What the notification is about.
    pub kind: NotificationKind,
    /// The merchant's `tradeNo`.
    pub trade_no: TradeNo,
    /// The status code, as received (`0000`).
    pub status: String,
}

impl DedupKey {
    fn of(kind: NotificationKind, notification: &Notification) -> Self {
        Self { kind, trade_no: notification.trade_no.clone(), status: notification.status.code().to_owned() }
    }
}

/// A verified notification that arrived at a pay-in `notifyUrl`: read it
/// with [`PayInNotification::settlement`].
#[derive(Debug, Clone)]
pub struct PayInNotification(Notification);

/// A verified notification that arrived at a payout `notifyUrl`: read it
/// with [`PayoutNotification::outcome`].
#[derive(Debug, Clone)]
pub struct PayoutNotification(Notification);

impl PayInNotification {
    pub(super) fn new(notification: Notification) -> Self {
        Self(notification)
    }

    /// The key to process it at most once (kind [`NotificationKind::PayIn`]).
    pub fn dedup_key(&self) -> DedupKey {
        DedupKey::of(NotificationKind::PayIn, &self.0)
    }

    /// The verified fields.
    pub fn into_notification(self) -> Notification {
        self.0
    }
}

impl PayoutNotification {
    pub(super) fn new(notification: Notification) -> Self {
        Self(notification)
    }

    /// The key to process it at most once (kind [`NotificationKind::Payout`]).
    pub fn dedup_key(&self) -> DedupKey {
        DedupKey::of(NotificationKind::Payout, &self.0)
    }

    /// The verified fields.
    pub fn into_notification(self) -> Notification {
        self.0
    }
}

impl Deref for PayInNotification {
    type Target = Notification;

    fn deref(&self) -> &Notification {
        &self.0
    }
}

impl Deref for PayoutNotification {
    type Target = Notification;

    fn deref(&self) -> &Notification {
        &self.0
    }
}

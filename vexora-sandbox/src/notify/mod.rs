//! Notifications: built from the book's records, signed, delivered on the
//! documented ladder, and every attempt logged.

pub(crate) mod activity;
pub(crate) mod delivery;
pub(crate) mod notice;
pub(crate) mod notifier;
pub(crate) mod outcome;
pub(crate) mod receiver;

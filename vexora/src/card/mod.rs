//! Card payments (Visa / Mastercard on a hosted page; JCB from the
//! merchant's server), from the provider's card documents.
//!
//! "card" is an area of the documents, not a country: a client for it has
//! a base URL ending in `/card`, in the form of every other region's (no
//! page shows it). A card deposit may answer with a verification page
//! instead of finishing at once: read
//! [`CheckoutData::next_step`](crate::data::CheckoutData::next_step), which
//! gives [`PaymentStep::Verify`](crate::data::PaymentStep::Verify) with the
//! page to send the payer to. Both reconcile with the card deposit query,
//! transcribed from its own page.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_card.rs"));

//! Chile: payouts and their query, from the provider's chile documents.
//! No checkout is modelled: its page could not be read (searches for the
//! chile checkout found only the payout page), and a request is written
//! only from a page that was read.
//!
//! Each endpoint is described in `spec/chile/<name>.toml` and modelled by
//! an annotated request struct in a file of this folder; every file's items
//! are re-exported here. Responses follow the template the Taiwan pages
//! document, so they decode into the same `data` types.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_chile.rs"));

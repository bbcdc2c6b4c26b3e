//! Mexico (MXN): direct convenience-store and VA deposits, debit card and
//! CLABE payouts, and their queries, from the provider's mexico documents.
//!
//! Each endpoint is described in `spec/mexico/<name>.toml` and modelled by
//! an annotated request struct in a file of this folder; every file's items
//! are re-exported here. Responses follow the template the Taiwan pages
//! document, so they decode into the same `data` types.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_mexico.rs"));

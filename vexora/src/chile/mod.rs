//! Chile: the checkout (bank transfer to a CVU, or QR), payouts, and their
//! queries, from the provider's chile documents.
//!
//! Each endpoint is described in `spec/chile/<name>.toml` and modelled by
//! an annotated request struct in a file of this folder; every file's items
//! are re-exported here. Responses follow the template the Taiwan pages
//! document, so they decode into the same `data` types.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_chile.rs"));

//! Colombia (COP): the checkout (PSE, Nequi, Efecty, Bre-B), the merchant
//! balance and the deposit and payout queries, from the provider's colombia
//! documents. No payout is modelled: the payout query looks up
//! payouts made another way.
//!
//! Each endpoint is described in `spec/colombia/<name>.toml` and modelled by
//! an annotated request struct in a file of this folder; every file's items
//! are re-exported here. Responses follow the template the Taiwan pages
//! document, so they decode into the same `data` types.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_colombia.rs"));

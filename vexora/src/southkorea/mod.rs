//! South Korea (KRW): hosted checkout, its query and the payout query, from
//! the provider's SouthKorea documents. There is no payout endpoint here; the
//! payout query looks up payouts made another way.
//!
//! Each endpoint is described in `spec/southkorea/<name>.toml` and modelled
//! by an annotated request struct in a file of this folder; every file's
//! items are re-exported here. Responses follow the template the Taiwan
//! pages document, so they decode into the same `data` types.

// A module for every other file of this folder (see build.rs).
include!(concat!(env!("OUT_DIR"), "/region_southkorea.rs"));

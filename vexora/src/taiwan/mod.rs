//! Taiwan (TWD): the endpoints of the provider's Taiwan documents.
//!
//! Each endpoint is described in `spec/taiwan/<name>.toml` and modelled here
//! by one annotated request struct and one response `data` struct.

pub mod balance;
pub mod checkout;
pub mod query;

pub use balance::{Balance, BalanceRequest};
pub use checkout::{ChannelCode, CheckoutData, CheckoutRequest, WayCode};
pub use query::{PayInQueryRequest, PayInResult};

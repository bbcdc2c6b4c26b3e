//! The response `data` every region shares: what a create returns, what a
//! status query reads, the balances, and the identity check (KYC).
//!
//! The provider's pages use one template for these in every region, with
//! a few regional extras (`orderAmount` and `payAmount` beside `amount`,
//! payment instructions instead of a link); each struct types every field
//! a page documents and keeps anything else in `other`, so a new field
//! from the gateway is never an error. A region whose responses differ in
//! kind (Kenya's `serialNumber`) has its own types in its module.

mod balance;
mod checkout;
mod kyc;
mod pay_in;
mod payout;

pub use balance::Balance;
pub use checkout::{CheckoutData, PayInfo, PaymentStep};
pub use kyc::{KycApplication, KycResult, KycStatus};
pub use pay_in::PayInResult;
pub use payout::{PayoutData, PayoutResult};

//! The sandbox's books: orders, payouts, identity checks, balances and the
//! ledger of money, and the clock they are kept by. Imports nothing of the
//! other wings.

pub(crate) mod applications;
pub(crate) mod clock;
pub(crate) mod money;
pub(crate) mod state;
pub(crate) mod views;
pub(crate) mod visibility;

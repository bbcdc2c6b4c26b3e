//! Value types shared by the endpoints of every region.

mod amount;
mod contact;
mod decimal;
mod decimal_amount;
mod status;
mod trade_no;

pub use amount::Amount;
pub use contact::{Email, HttpUrl};
pub use decimal::DecimalText;
pub use decimal_amount::{AmountOutOfRange, DecimalAmount};
pub use status::TradeStatus;
pub use trade_no::TradeNo;

//! Value types shared by the endpoints of every region.

mod amount;
mod decimal;
mod status;
mod trade_no;

pub use amount::Amount;
pub use decimal::DecimalText;
pub use status::TradeStatus;
pub use trade_no::TradeNo;

//! `POST /v1/vexora/disbursements`: a payout to a bank account
//! (`spec/argentina/payout.toml`).

use serde::Deserialize;

use crate::data::PayoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};

/// An Argentina payout. The client adds `timestamp` and `sign`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "argentina/payout", response = PayoutData)]
#[non_exhaustive]
pub struct PayoutRequest {
    /// Unique payout number.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole units, at least 100.
    #[vexora(required, min_amount = "100")]
    pub amount: Amount,
    /// The recipient's account number.
    #[vexora(required)]
    pub account_no: String,
    /// The recipient's mobile number.
    #[vexora(required)]
    pub mobile: String,
    /// The recipient's email address.
    #[vexora(required)]
    pub email: Email,
    /// The recipient's actual first name.
    #[vexora(required)]
    pub firstname: String,
    /// The recipient's actual last name.
    #[vexora(required)]
    pub lastname: String,
    /// Where the gateway POSTs the signed payout notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Free text.
    #[vexora(optional)]
    pub remark: Option<String>,
}

//! `testland`, a region only the tests have (`tests/spec/testland/`): a
//! refund and its read, of kinds no code of the SDK or the sandbox names.
//! What they do is in their spec files: the refund moves money back, is
//! identified by `tradeNo` and `refundNo`, and is found by the read of both.
//! The derive reads those files as it reads the SDK's own.

use serde::Deserialize;
use vexora::types::{DecimalAmount, DecimalText, HttpUrl, TradeNo, TradeStatus};

/// A refund: gives (part of) a paid order's money back to the payer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, vexora::Signable, vexora::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "testland/refund", response = RefundData)]
#[non_exhaustive]
pub struct RefundRequest {
    /// The merchant's number of the order refunded.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// The merchant's number of this refund.
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub refund_no: String,
    /// The amount given back.
    #[vexora(required, min_amount = "0.01")]
    pub amount: DecimalAmount,
    /// Where the refund's result is notified.
    #[vexora(optional)]
    pub notify_url: Option<HttpUrl>,
}

/// The refund's read, by both of its keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, vexora::Signable, vexora::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "testland/refund-query", response = RefundData)]
#[non_exhaustive]
pub struct RefundQueryRequest {
    /// The merchant's number of the order refunded.
    #[vexora(required)]
    pub trade_no: TradeNo,
    /// The merchant's number of the refund.
    #[vexora(required)]
    pub refund_no: String,
}

/// A refund as the refund and its read answer it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundData {
    /// The merchant's number of the order refunded.
    pub trade_no: TradeNo,
    /// The merchant's number of the refund.
    pub refund_no: String,
    /// Vexora's number of the refund.
    pub plat_form_trade_no: String,
    /// `0015` processing, `0000` refunded, anything else failed.
    pub status: TradeStatus,
    /// The amount given back.
    pub amount: DecimalText,
    /// When it succeeded, in the gateway's local time.
    #[serde(default)]
    pub success_time: Option<String>,
}

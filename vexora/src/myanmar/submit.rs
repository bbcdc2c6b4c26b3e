//! `POST /v1/vexora/payInSubmit`: the transaction id (`utr`) of a payment
//! the payer made (`spec/myanmar/payment-submit.toml`). `data` is `true`
//! when the submission was taken; the result comes by notification or query.

use serde::Deserialize;

/// Submits a payer's transaction id for an order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "myanmar/payment-submit", response = bool)]
#[non_exhaustive]
pub struct PaymentSubmitRequest {
    /// Vexora's order number, from the deposit's answer.
    #[vexora(required)]
    pub plat_form_trade_no: String,
    /// The transaction id of the payment.
    #[vexora(required)]
    pub utr: String,
}

//! `POST /v1/vexora/payinSubmit`: the wallet transaction id of a payment the
//! payer made, for a person-to-person order
//! (`spec/bangladesh/payment-submit.toml`).
//!
//! `data` is `true` when the submission was taken; either way the order's
//! result comes by notification or query.

use serde::Deserialize;

/// Submits a payer's bKash or Nagad transaction id for an order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "bangladesh/payment-submit", response = bool)]
#[non_exhaustive]
pub struct PaymentSubmitRequest {
    /// Vexora's order number, from the checkout's answer.
    #[vexora(required)]
    pub plat_form_trade_no: String,
    /// The wallet's transaction id of the payment.
    #[vexora(required)]
    pub trx_id: String,
}

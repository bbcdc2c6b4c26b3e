//! What a checkout or deposit returns: the order, and how the payer goes on
//! to pay it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::{TradeNo, TradeStatus};

/// The response `data` of a checkout or a deposit.
///
/// Most regions answer with a cashier link; some answer with what to show
/// the payer instead (a virtual account, a payment code) or, for cards, a
/// verification page. [`CheckoutData::next_step`] says which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CheckoutData {
    /// The merchant's order number.
    pub trade_no: TradeNo,
    /// Vexora's order number.
    pub plat_form_trade_no: String,
    /// The order's status; `0015` (processing) right after creation.
    pub status: TradeStatus,
    /// The gateway's description of the status ("Paying") or error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// The request's `remark`, as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The cashier URL as documented (`paymentLink`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_link: Option<String>,
    /// The cashier URL under the name the provider's example uses
    /// (`paymentUrl`). Read [`CheckoutData::payment_url`] instead of either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_url: Option<String>,
    /// A virtual account's transfer details, sent instead of a link
    /// (`payInfoVA`, also read as `payInfoVa`).
    #[serde(rename = "payInfoVA", alias = "payInfoVa", default, skip_serializing_if = "Option::is_none")]
    pub pay_info_va: Option<PayInfo>,
    /// Payment instructions sent instead of a link (`payInfo`): text such
    /// as a payment code, or named fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_info: Option<PayInfo>,
    /// For a card payment that needs 3-D Secure, OTP or bank verification:
    /// where to send the payer (`paymentInfo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_info: Option<PayInfo>,
    /// Fields the documents do not list, kept as received.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// Payment instructions as the gateway sent them. Their fields are not
/// documented, so they are kept whole; the shape is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum PayInfo {
    /// Text: a payment code, a QR payload, or a URL.
    Text(String),
    /// Named fields (bank, account number, reference, ...).
    Fields(BTreeMap<String, serde_json::Value>),
    /// Any other JSON value, kept so that an unexpected shape never fails
    /// the response of an order that was created.
    Other(serde_json::Value),
}

impl PayInfo {
    /// The instructions as text, when they are text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            Self::Fields(_) | Self::Other(_) => None,
        }
    }
}

/// What the payer does next, read from a checkout or deposit response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaymentStep<'a> {
    /// Send the payer to this cashier page.
    Cashier(&'a str),
    /// Send the payer to this page to verify the card payment.
    Verify(&'a str),
    /// Show the payer how to pay into this virtual account.
    VirtualAccount(&'a PayInfo),
    /// Show the payer these instructions.
    Instructions(&'a PayInfo),
    /// Nothing to show: wait for the notification (or query).
    Wait,
}

impl CheckoutData {
    /// The cashier URL to send the payer to, whichever name it came under.
    pub fn payment_url(&self) -> Option<&str> {
        self.payment_link.as_deref().or(self.payment_url.as_deref())
    }

    /// What the payer does next: a cashier link first, then a card
    /// verification page, then a virtual account, then other instructions.
    ///
    /// ```
    /// use vexora::data::{CheckoutData, PaymentStep};
    ///
    /// let data: CheckoutData = serde_json::from_str(
    ///     r#"{"tradeNo":"T1","platFormTradeNo":"P1","status":"0015",
    ///         "payInfoVa":{"bankName":"Example Bank","accountNo":"1234567890"}}"#,
    /// )?;
    /// match data.next_step() {
    ///     PaymentStep::VirtualAccount(info) => println!("transfer to {info:?}"),
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn next_step(&self) -> PaymentStep<'_> {
        if let Some(url) = self.payment_url() {
            return PaymentStep::Cashier(url);
        }
        match (&self.payment_info, &self.pay_info_va, &self.pay_info) {
            (Some(PayInfo::Text(url)), _, _) => PaymentStep::Verify(url),
            (Some(info), _, _) => PaymentStep::Instructions(info),
            (None, Some(account), _) => PaymentStep::VirtualAccount(account),
            (None, None, Some(info)) => PaymentStep::Instructions(info),
            (None, None, None) => PaymentStep::Wait,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(extra: &str) -> CheckoutData {
        let text = format!(r#"{{"tradeNo":"T1","platFormTradeNo":"P1","status":"0015"{extra}}}"#);
        serde_json::from_str(&text).expect("decodes")
    }

    #[test]
    fn a_link_comes_first_under_either_name() {
        assert_eq!(
            data(r#","paymentUrl":"https://pay/1","payInfo":"X""#).next_step(),
            PaymentStep::Cashier("https://pay/1")
        );
        assert_eq!(data(r#","paymentLink":"https://pay/2""#).next_step(), PaymentStep::Cashier("https://pay/2"));
    }

    #[test]
    fn a_card_verification_page_is_text_in_payment_info() {
        let data = data(r#","paymentInfo":"https://3ds/1","payInfo":"CODE""#);
        assert_eq!(data.next_step(), PaymentStep::Verify("https://3ds/1"));
    }

    #[test]
    fn a_virtual_account_comes_under_either_spelling_before_other_instructions() {
        for key in ["payInfoVA", "payInfoVa"] {
            let data = data(&format!(r#","{key}":{{"accountNo":"123"}},"payInfo":"CODE""#));
            let PaymentStep::VirtualAccount(PayInfo::Fields(fields)) = data.next_step() else {
                panic!("{:?}", data.next_step())
            };
            assert_eq!(fields["accountNo"], "123");
        }
    }

    #[test]
    fn instructions_keep_any_shape_and_nothing_means_wait() {
        assert_eq!(
            data(r#","payInfo":"CODE-7""#).next_step(),
            PaymentStep::Instructions(&PayInfo::Text("CODE-7".into()))
        );
        let odd = data(r#","payInfo":[1,2]"#);
        assert_eq!(odd.pay_info, Some(PayInfo::Other(serde_json::json!([1, 2]))));
        assert_eq!(odd.pay_info.as_ref().and_then(PayInfo::as_text), None);
        assert_eq!(data("").next_step(), PaymentStep::Wait);
    }

    #[test]
    fn payment_instructions_serialize_under_their_documented_names() {
        let data = data(r#","payInfoVa":{"a":1}"#);
        let json = serde_json::to_value(&data).expect("serializes");
        assert_eq!(json["payInfoVA"], serde_json::json!({"a": 1}));
        assert!(data.other.is_empty());
    }
}

//! What one notification says, and its signed body: built from an order or
//! a payout of the book, stamped and signed anew for each attempt.

use serde_json::{Map, Value};
use vexora::signing::sign_pairs;

use crate::book::clock::SandboxClock;
use crate::book::records::{Order, OrderStatus, Payout, PayoutStatus};
use crate::notify::delivery::NotifiedKind;

/// What one notification says: about a pay-in order or a payout, the same
/// webhook and the same fields.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub(crate) kind: NotifiedKind,
    pub(crate) merchant_no: String,
    pub(crate) notify_url: String,
    /// The signed fields before `timestamp` and `sign`.
    fields: Vec<(&'static str, String)>,
}

impl Notice {
    /// A pay-in order's notification.
    pub(crate) fn of_order(order: &Order, clock: &SandboxClock) -> Self {
        let paid = matches!(order.status, OrderStatus::Paid | OrderStatus::PartlyPaid);
        Self::new(
            NotifiedKind::Order,
            &order.merchant_no,
            &order.notify_url,
            [
                ("platFormTradeNo", order.plat_form_trade_no.clone()),
                ("tradeNo", order.trade_no.clone()),
                ("amount", order.paid_amount.text(2)),
                ("status", order.status.code().to_owned()),
                ("message", order.status.message().to_owned()),
            ],
            order.remark.as_deref(),
            order.finished_at_ms.filter(|_| paid).map(|at| clock.format_local(at)),
        )
    }

    /// A payout's notification.
    pub(crate) fn of_payout(payout: &Payout, clock: &SandboxClock) -> Self {
        let paid_out = payout.status == PayoutStatus::PaidOut;
        Self::new(
            NotifiedKind::Payout,
            &payout.merchant_no,
            &payout.notify_url,
            [
                ("platFormTradeNo", payout.plat_form_trade_no.clone()),
                ("tradeNo", payout.trade_no.clone()),
                ("amount", payout.amount.text(2)),
                ("status", payout.status.code().to_owned()),
                ("message", payout.status.message().to_owned()),
            ],
            payout.remark.as_deref(),
            payout.finished_at_ms.filter(|_| paid_out).map(|at| clock.format_local(at)),
        )
    }

    fn new(
        kind: NotifiedKind,
        merchant_no: &str,
        notify_url: &str,
        fields: [(&'static str, String); 5],
        remark: Option<&str>,
        success_time: Option<String>,
    ) -> Self {
        let mut fields = fields.to_vec();
        if let Some(remark) = remark.filter(|remark| !remark.is_empty()) {
            fields.push(("remark", remark.to_owned()));
        }
        fields.extend(success_time.map(|time| ("successTime", time)));
        Self { kind, merchant_no: merchant_no.to_owned(), notify_url: notify_url.to_owned(), fields }
    }

    /// The `tradeNo` it is about.
    pub(crate) fn trade_no(&self) -> &str {
        self.fields.iter().find(|(name, _)| *name == "tradeNo").map_or("", |(_, value)| value)
    }

    /// The value of a signed field (`""` when it has none).
    pub(crate) fn field(&self, name: &str) -> String {
        self.fields.iter().find(|(key, _)| *key == name).map(|(_, value)| value.clone()).unwrap_or_default()
    }

    /// The notification's JSON, stamped `now_ms` and signed with the
    /// merchant's `secret` (each ladder attempt anew, so a merchant checking
    /// `timestamp` freshness accepts late retries).
    pub(crate) fn signed_body(&self, now_ms: i64, secret: &str) -> String {
        let mut fields = self.fields.clone();
        fields.push(("timestamp", now_ms.to_string()));
        let sign = sign(&fields, secret);
        let mut object: Map<String, Value> =
            fields.into_iter().map(|(key, value)| (key.to_owned(), Value::String(value))).collect();
        object.insert("sign".to_owned(), Value::String(sign));
        Value::Object(object).to_string()
    }
}

/// The `sign` of outgoing fields, with the one primitive shared with the SDK
/// (`vexora::signing`).
fn sign(fields: &[(&str, String)], secret: &str) -> String {
    sign_pairs(fields.iter().map(|(key, value)| (*key, value.as_str())), secret.as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_the_requests() {
        let fields = [("tradeNo", "T1".to_owned()), ("amount", "300".to_owned())];
        assert_eq!(sign(&fields, "secret"), "9afc544e3c2887771321ea09afb998c5");
    }
}

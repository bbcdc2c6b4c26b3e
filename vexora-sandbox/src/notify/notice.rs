//! What one notification says, and its signed body: built from an order, a
//! payout or a record of a kind served from its spec, stamped and signed
//! anew for each attempt.

use serde_json::{Map, Value};
use vexora::signing::sign_pairs;

use crate::book::clock::SandboxClock;
use crate::book::records::{Order, Payout};
use crate::book::spec_records::SpecRecord;
use crate::book::status::{OrderStatus, ProcessStatus};
use crate::notify::delivery::NotifiedKind;

/// What one notification says: about a pay-in order or a payout, the same
/// webhook and the same fields; about a record of another kind, its keys,
/// its platform id, status and amount.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub(crate) kind: NotifiedKind,
    pub(crate) merchant_no: String,
    pub(crate) notify_url: String,
    /// The merchant's number the log files it under.
    pub(crate) trade_no: String,
    /// The sandbox's id of what it is about: the log's key.
    pub(crate) platform_id: String,
    /// The signed fields before `timestamp` and `sign`, each name once.
    fields: Vec<(String, String)>,
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
        let paid_out = payout.status == ProcessStatus::Succeeded;
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

    /// A record's notification: what its create answered (its keys in its
    /// spec's order, its platform id under the create's name for it,
    /// `status`, `amount` when it has one), and `successTime` once it
    /// succeeded.
    pub(crate) fn of_record(record: &SpecRecord, notify_url: &str, clock: &SandboxClock) -> Self {
        let success_time = record.succeeded_at_ms().map(|at| clock.format_local(at));
        let fields = record.members(record.platform_id_name, success_time);
        Self {
            kind: NotifiedKind::Other(record.kind.clone()),
            merchant_no: record.merchant_no.clone(),
            notify_url: notify_url.to_owned(),
            trade_no: record.trade_no(),
            platform_id: record.platform_id.clone(),
            fields,
        }
    }

    fn new(
        kind: NotifiedKind,
        merchant_no: &str,
        notify_url: &str,
        fields: [(&'static str, String); 5],
        remark: Option<&str>,
        success_time: Option<String>,
    ) -> Self {
        let mut fields: Vec<(String, String)> =
            fields.into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
        if let Some(remark) = remark.filter(|remark| !remark.is_empty()) {
            fields.push(("remark".to_owned(), remark.to_owned()));
        }
        fields.extend(success_time.map(|time| ("successTime".to_owned(), time)));
        let field = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
        Self {
            kind,
            merchant_no: merchant_no.to_owned(),
            notify_url: notify_url.to_owned(),
            trade_no: field("tradeNo").unwrap_or_default(),
            platform_id: field("platFormTradeNo").unwrap_or_default(),
            fields,
        }
    }

    /// The value of a signed field (`""` when it has none).
    pub(crate) fn field(&self, name: &str) -> String {
        self.fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()).unwrap_or_default()
    }

    /// The notification's JSON, stamped `now_ms` and signed with the
    /// merchant's `secret` (each ladder attempt anew, so a merchant checking
    /// `timestamp` freshness accepts late retries).
    pub(crate) fn signed_body(&self, now_ms: i64, secret: &str) -> String {
        let mut fields = self.fields.clone();
        fields.push(("timestamp".to_owned(), now_ms.to_string()));
        let sign = sign(&fields, secret);
        let mut object: Map<String, Value> =
            fields.into_iter().map(|(key, value)| (key, Value::String(value))).collect();
        object.insert("sign".to_owned(), Value::String(sign));
        Value::Object(object).to_string()
    }
}

/// The `sign` of outgoing fields, with the one primitive shared with the SDK
/// (`vexora::signing`).
fn sign(fields: &[(String, String)], secret: &str) -> String {
    sign_pairs(fields.iter().map(|(key, value)| (key.as_str(), value.as_str())), secret.as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::book::status::ProcessStatus;

    fn refund(status: ProcessStatus, finished_at_ms: Option<i64>) -> SpecRecord {
        SpecRecord {
            merchant_no: "M".into(),
            region: "testland".into(),
            endpoint: "testland/refund".into(),
            kind: "refund".into(),
            money: vexora_spec::MoneyFlow::Back,
            keys: vec![("tradeNo".into(), "T1".into()), ("refundNo".into(), "R1".into())],
            platform_id: "c167o1itir0fypid".into(),
            platform_id_name: "serialNumber",
            status,
            amount: crate::book::money::Cents::parse("12.5"),
            notify_url: Some("http://127.0.0.1:9/n".into()),
            created_at_ms: 0,
            visible_from_ms: 0,
            finished_at_ms,
        }
    }

    #[test]
    fn a_records_notice_has_its_keys_id_status_and_amount() {
        let clock = SandboxClock::new(0, 480);
        let failed = Notice::of_record(&refund(ProcessStatus::Failed, Some(0)), "http://127.0.0.1:9/n", &clock);
        assert_eq!(failed.kind, NotifiedKind::Other("refund".into()));
        assert_eq!((failed.trade_no.as_str(), failed.platform_id.as_str()), ("T1", "c167o1itir0fypid"));
        let body = failed.signed_body(1_795_676_645_000, "secret");
        let sign = sign(
            &[
                ("tradeNo".into(), "T1".into()),
                ("refundNo".into(), "R1".into()),
                ("serialNumber".into(), "c167o1itir0fypid".into()),
                ("status".into(), "00029".into()),
                ("amount".into(), "12.50".into()),
                ("timestamp".into(), "1795676645000".into()),
            ],
            "secret",
        );
        assert_eq!(
            body,
            format!(
                r#"{{"amount":"12.50","refundNo":"R1","serialNumber":"c167o1itir0fypid","sign":"{sign}","status":"00029","timestamp":"1795676645000","tradeNo":"T1"}}"#
            )
        );
        // Succeeded: with the local time it succeeded.
        let done = Notice::of_record(&refund(ProcessStatus::Succeeded, Some(0)), "http://127.0.0.1:9/n", &clock);
        assert_eq!(done.field("successTime"), "1970-01-01 08:00:00");
    }

    #[test]
    fn signs_like_the_requests() {
        let fields = [("tradeNo".to_owned(), "T1".to_owned()), ("amount".to_owned(), "300".to_owned())];
        assert_eq!(sign(&fields, "secret"), "9afc544e3c2887771321ea09afb998c5");
    }
}

//! What the book keeps of a create of a kind the sandbox has no handler of
//! its own for (a `refund`, say): a record under the request fields its
//! spec names as keys, with the money flow the spec declares, and its
//! status as a payout's.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use vexora_spec::MoneyFlow;

use crate::book::money::Cents;
use crate::book::status::ProcessStatus;

/// A record made by a create of a kind served from its spec alone.
#[derive(Debug, Clone)]
pub(crate) struct SpecRecord {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    /// The spec that created it, `region/name` (e.g. `testland/refund`).
    pub(crate) endpoint: String,
    /// The spec's kind name (e.g. `refund`).
    pub(crate) kind: String,
    /// Which way its money moves, as its spec says.
    pub(crate) money: MoneyFlow,
    /// `(wire name, value)` of each key, in the spec's order.
    pub(crate) keys: Vec<(String, String)>,
    /// The sandbox's id of it.
    pub(crate) platform_id: String,
    /// The wire name of the platform id in its create's answer and in its
    /// notifications (`platFormTradeNo`, or `serialNumber` where the spec
    /// says so).
    pub(crate) platform_id_name: &'static str,
    pub(crate) status: ProcessStatus,
    /// The request's `amount`, when it had one.
    pub(crate) amount: Option<Cents>,
    /// The request's `notifyUrl`, when it had one.
    pub(crate) notify_url: Option<String>,
    pub(crate) created_at_ms: i64,
    /// When reads start to find it (later than `created_at_ms` for a create
    /// whose request carried a `visible_after_ms` fault, or that the
    /// embedding program's visibility hook delays).
    pub(crate) visible_from_ms: i64,
    pub(crate) finished_at_ms: Option<i64>,
}

impl SpecRecord {
    /// The value of the key `name`, if it is one.
    pub(crate) fn key(&self, name: &str) -> Option<&str> {
        self.keys.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The merchant's number for it, where one number is wanted (the
    /// attempt log, the dashboard's heading): its `tradeNo` when that is a
    /// key, else its keys' values joined with `/`.
    pub(crate) fn trade_no(&self) -> String {
        merchant_number(&self.keys)
    }

    /// When it succeeded, if it did.
    pub(crate) fn succeeded_at_ms(&self) -> Option<i64> {
        self.finished_at_ms.filter(|_| self.status == ProcessStatus::Succeeded)
    }

    /// What its answers and notifications say of it, in order: each key,
    /// the platform id under `platform_id_name`, `status`, `amount` when it
    /// has one, and `successTime` when given. A member whose name a key
    /// already took is left out, so no name appears twice.
    pub(crate) fn members(&self, platform_id_name: &str, success_time: Option<String>) -> Vec<(String, String)> {
        let mut members = self.keys.clone();
        let rest = [
            (platform_id_name, Some(self.platform_id.clone())),
            ("status", Some(self.status.code().to_owned())),
            ("amount", self.amount.map(|amount| amount.text(2))),
            ("successTime", success_time),
        ];
        for (name, value) in rest {
            if let Some(value) = value.filter(|_| self.key(name).is_none()) {
                members.push((name.to_owned(), value));
            }
        }
        members
    }

    /// The money it moves: its amount, unless its spec says none moves.
    pub(crate) fn moved(&self) -> Option<Cents> {
        self.amount.filter(|_| self.money != MoneyFlow::None)
    }
}

impl Serialize for SpecRecord {
    /// As `GET /sandbox/records` lists it: the keys as one object, in the
    /// spec's order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Keys<'a>(&'a [(String, String)]);
        impl Serialize for Keys<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.iter().map(|(key, value)| (key, value)))
            }
        }
        let mut record = serializer.serialize_struct("SpecRecord", 12)?;
        record.serialize_field("merchantNo", &self.merchant_no)?;
        record.serialize_field("region", &self.region)?;
        record.serialize_field("endpoint", &self.endpoint)?;
        record.serialize_field("kind", &self.kind)?;
        record.serialize_field("money", self.money.name())?;
        record.serialize_field("keys", &Keys(&self.keys))?;
        record.serialize_field("platformId", &self.platform_id)?;
        record.serialize_field("status", &self.status)?;
        record.serialize_field("amount", &self.amount)?;
        record.serialize_field("notifyUrl", &self.notify_url)?;
        record.serialize_field("createdAtMs", &self.created_at_ms)?;
        record.serialize_field("finishedAtMs", &self.finished_at_ms)?;
        record.end()
    }
}

/// The `tradeNo` among `keys`, else their values joined with `/`.
fn merchant_number(keys: &[(String, String)]) -> String {
    match keys.iter().find(|(name, _)| name == "tradeNo") {
        Some((_, trade_no)) => trade_no.clone(),
        None => keys.iter().map(|(_, value)| value.as_str()).collect::<Vec<_>>().join("/"),
    }
}

/// What a create of such a kind asks to make.
#[derive(Debug, Clone)]
pub(crate) struct NewSpecRecord {
    pub(crate) merchant_no: String,
    pub(crate) region: String,
    pub(crate) endpoint: String,
    pub(crate) kind: String,
    pub(crate) money: MoneyFlow,
    pub(crate) keys: Vec<(String, String)>,
    pub(crate) platform_id_name: &'static str,
    pub(crate) amount: Option<Cents>,
    pub(crate) notify_url: Option<String>,
}

impl NewSpecRecord {
    /// The merchant's number for what it makes, as [`SpecRecord::trade_no`].
    pub(crate) fn trade_no(&self) -> String {
        merchant_number(&self.keys)
    }
}

//! The keys that name the record a request is about, and the check that an
//! answer is about that record and no other.
//!
//! A caching proxy, a gateway bug or a misrouted answer can return another
//! order's `data` under a `0000`. Read as the answer, it would credit one
//! order with another's "paid", or make a lost create look found. So where
//! the answer's `data` carries a key the request sent, the two must be equal.
//!
//! Where it leaves the `tradeNo` out (some regions' query answers do not
//! list it), the request says which order was asked about: the answer is
//! read with the `tradeNo` that was sent.

use std::borrow::Cow;
use std::fmt;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::Deserializer;
use serde_json::value::RawValue;

use crate::borrowed::BorrowedText;
use crate::wire::{FieldVisitor, Signable};

/// The request fields that name a record: a merchant's order or payout
/// number, and the number of an identity check.
pub const RECORD_KEYS: [&str; 2] = ["tradeNo", "kycNumber"];

/// The record keys a request carries, by wire name, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordKeys(Vec<(&'static str, String)>);

/// An answer whose `data` names another record than the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMismatch {
    /// The key's wire name, e.g. `tradeNo`.
    pub key: &'static str,
    /// The value the request sent.
    pub sent: String,
    /// The value the answer carries.
    pub answered: String,
}

impl RecordKeys {
    /// The record keys among `request`'s wire fields.
    pub fn of<R: Signable + ?Sized>(request: &R) -> Self {
        struct Collect(Vec<(&'static str, String)>);
        impl FieldVisitor for Collect {
            fn visit(&mut self, key: &str, value: &str) {
                if let Some(name) = RECORD_KEYS.into_iter().find(|name| *name == key) {
                    self.0.push((name, value.to_owned()));
                }
            }
        }
        let mut collect = Collect(Vec::new());
        request.visit_wire_fields("", &mut collect);
        Self(collect.0)
    }

    /// The value sent under `key`, if the request carried it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(name, _)| *name == key).map(|(_, value)| value.as_str())
    }

    /// Whether the request carried no record key.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks that `data` (the envelope's `data` object) names no other
    /// record: each key the request sent and `data` also carries as a
    /// string must be equal to the byte. A key `data` leaves out (or sends
    /// as `null`) is not checked: some pages' answers carry no `tradeNo`,
    /// and the request says which record was asked about. A key of another
    /// JSON type is left to the typed decoding, which refuses it.
    ///
    /// Returns the text to decode: `data` itself, or, for an object that
    /// leaves out the `tradeNo` the request sent, `data` with that `tradeNo`.
    pub fn check<'d>(&self, data: &'d RawValue) -> Result<Cow<'d, str>, KeyMismatch> {
        let text = data.get();
        if self.is_empty() {
            return Ok(Cow::Borrowed(text));
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let reading = match deserializer.deserialize_any(FirstMismatch(self)) {
            Ok(reading) => reading,
            // Not JSON the typed decoding will accept: that decoding reports it.
            Err(_) => return Ok(Cow::Borrowed(text)),
        };
        if let Some(mismatch) = reading.mismatch {
            return Err(mismatch);
        }
        match (self.get("tradeNo"), reading.object, reading.trade_no_present) {
            (Some(trade_no), true, false) => Ok(Cow::Owned(with_trade_no(text, trade_no))),
            _ => Ok(Cow::Borrowed(text)),
        }
    }
}

/// `object` (a JSON object's text) with `"tradeNo"` first.
fn with_trade_no(object: &str, trade_no: &str) -> String {
    let member = format!("\"tradeNo\":{}", serde_json::Value::from(trade_no));
    let inner = object.trim().strip_prefix('{').unwrap_or_default();
    if inner.trim_start().starts_with('}') {
        format!("{{{member}}}")
    } else {
        format!("{{{member},{inner}")
    }
}

/// What a walk over `data` found.
struct Reading {
    /// Whether `data` is an object.
    object: bool,
    /// Whether it has a `tradeNo` member (even `null`, which the typed
    /// decoding then judges).
    trade_no_present: bool,
    /// The first key that names another record.
    mismatch: Option<KeyMismatch>,
}

/// Walks `data`'s top level and returns the first key whose value differs
/// from the request's.
struct FirstMismatch<'k>(&'k RecordKeys);

impl<'de> Visitor<'de> for FirstMismatch<'_> {
    type Value = Reading;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the answer's data object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut reading = Reading { object: true, trade_no_present: false, mismatch: None };
        while let Some(key) = map.next_key_seed(KeyText)? {
            let Some(name) = RECORD_KEYS.into_iter().find(|name| *name == key) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let value: &RawValue = map.next_value()?;
            reading.trade_no_present |= name == "tradeNo";
            let Some(sent) = self.0.get(name) else { continue };
            if reading.mismatch.is_none() {
                reading.mismatch = answered_text(value)
                    .filter(|answered| answered != sent)
                    .map(|answered| KeyMismatch { key: name, sent: sent.to_owned(), answered: answered.into_owned() });
            }
        }
        Ok(reading)
    }

    // Any other JSON value: nothing to compare or complete.
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Reading::NOT_AN_OBJECT)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Reading::NOT_AN_OBJECT)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Reading::NOT_AN_OBJECT)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Reading::NOT_AN_OBJECT)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Reading::NOT_AN_OBJECT)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Reading::NOT_AN_OBJECT)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Ok(Reading::NOT_AN_OBJECT)
    }
}

impl Reading {
    const NOT_AN_OBJECT: Self = Self { object: false, trade_no_present: false, mismatch: None };
}

/// A map key, borrowed unless escaped.
struct KeyText;

impl<'de> serde::de::DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(BorrowedText)
    }
}

/// A key's value as the text to compare: a string's contents; `None` for
/// anything else, which the typed decoding then judges.
fn answered_text(value: &RawValue) -> Option<Cow<'_, str>> {
    let text = value.get();
    text.starts_with('"').then(|| serde_json::from_str::<Cow<'_, str>>(text).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(pairs: &[(&'static str, &str)]) -> RecordKeys {
        RecordKeys(pairs.iter().map(|(key, value)| (*key, (*value).to_owned())).collect())
    }

    fn check(keys: &RecordKeys, data: &str) -> Result<(), KeyMismatch> {
        completed(keys, data).map(drop)
    }

    fn completed(keys: &RecordKeys, data: &str) -> Result<String, KeyMismatch> {
        let raw: Box<RawValue> = serde_json::from_str(data).expect("JSON");
        keys.check(&raw).map(Cow::into_owned)
    }

    #[test]
    fn an_answer_without_the_trade_no_is_read_with_the_one_sent() {
        let sent = keys(&[("tradeNo", "T\"1")]);
        assert_eq!(completed(&sent, r#"{"status":"0000"}"#).as_deref(), Ok(r#"{"tradeNo":"T\"1","status":"0000"}"#));
        assert_eq!(completed(&sent, " { } ").as_deref(), Ok(r#"{"tradeNo":"T\"1"}"#));
        // Carried, null, or not an object: decoded as it came.
        for data in [r#"{"tradeNo":"T\"1"}"#, r#"{"tradeNo":null}"#, "[]", "7"] {
            assert_eq!(completed(&sent, data).as_deref(), Ok(data), "{data}");
        }
        // A request without a tradeNo completes nothing.
        assert_eq!(completed(&keys(&[("kycNumber", "K1")]), "{}").as_deref(), Ok("{}"));
    }

    #[test]
    fn an_answer_about_another_record_is_named() {
        let sent = keys(&[("tradeNo", "T1")]);
        assert_eq!(
            check(&sent, r#"{"status":"0000","tradeNo":"T2","amount":"300"}"#),
            Err(KeyMismatch { key: "tradeNo", sent: "T1".into(), answered: "T2".into() })
        );
        // Case matters, escapes are read; a number is not a key's type and
        // is left to the typed decoding.
        assert!(check(&sent, r#"{"tradeNo":"t1"}"#).is_err());
        assert!(check(&sent, r#"{"tradeNo":"T\u0031"}"#).is_ok());
        assert!(check(&sent, r#"{"tradeNo":12}"#).is_ok());
        let kyc = keys(&[("kycNumber", "K1")]);
        assert!(check(&kyc, r#"{"kycNumber":"K2"}"#).is_err());
    }

    #[test]
    fn what_the_answer_leaves_out_is_not_compared() {
        let sent = keys(&[("tradeNo", "T1")]);
        for data in [r#"{"status":"0000"}"#, r#"{"tradeNo":null}"#, "[]", r#""T2""#, "7", "{}"] {
            assert!(check(&sent, data).is_ok(), "{data}");
        }
        // A request without keys (a balance) checks nothing.
        assert!(check(&RecordKeys::default(), r#"{"tradeNo":"T2"}"#).is_ok());
        // A key the request did not send is not compared.
        assert!(check(&sent, r#"{"tradeNo":"T1","kycNumber":"K9"}"#).is_ok());
    }
}

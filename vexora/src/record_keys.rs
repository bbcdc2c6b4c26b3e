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

use serde::Deserializer;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::borrowed::BorrowedText;
use crate::endpoint::Endpoint;
use crate::wire::FieldVisitor;

/// The keys of the record a request is about, by wire name, as sent: the
/// request fields its spec names as keys (`Endpoint::KEYS`: a checkout's
/// `tradeNo`, a refund's `tradeNo` and `refundNo`, an identity check's
/// `kycNumber`).
///
/// [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown) carries them:
/// they are what a reconciliation asks the gateway about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordKeys(Vec<(&'static str, String)>);

/// An answer whose `data` names another record than the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyMismatch {
    /// The key's wire name, e.g. `tradeNo`.
    pub(crate) key: &'static str,
    /// The value the request sent.
    pub(crate) sent: String,
    /// The value the answer carries.
    pub(crate) answered: String,
}

impl RecordKeys {
    /// The keys `request` carries: its fields that `E::KEYS` names and that
    /// are not empty, in that order.
    pub fn of<E: Endpoint + ?Sized>(request: &E) -> Self {
        struct Collect(Vec<(&'static str, String)>, &'static [&'static str]);
        impl FieldVisitor for Collect {
            fn visit(&mut self, key: &str, value: &str) {
                if let Some(name) = self.1.iter().find(|name| **name == key) {
                    self.0.push((name, value.to_owned()));
                }
            }
        }
        let mut collect = Collect(Vec::new(), E::KEYS);
        request.visit_wire_fields("", &mut collect);
        collect.0.sort_by_key(|(name, _)| E::KEYS.iter().position(|key| key == name));
        Self(collect.0)
    }

    /// The value sent under `key`, if the request carried it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(name, _)| *name == key).map(|(_, value)| value.as_str())
    }

    /// The `tradeNo`, when it is one of the keys.
    pub fn trade_no(&self) -> Option<&str> {
        self.get("tradeNo")
    }

    /// Each key's wire name and value.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(name, value)| (*name, value.as_str()))
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
    pub(crate) fn check<'d>(&self, data: &'d RawValue) -> Result<Cow<'d, str>, KeyMismatch> {
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
    if inner.trim_start().starts_with('}') { format!("{{{member}}}") } else { format!("{{{member},{inner}") }
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
            reading.trade_no_present |= key == "tradeNo";
            let Some((name, sent)) = self.0.0.iter().find(|(name, _)| *name == key) else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let value: &RawValue = map.next_value()?;
            if reading.mismatch.is_none() {
                reading.mismatch = answered_text(value)
                    .filter(|answered| answered != sent)
                    .map(|answered| KeyMismatch { key: name, sent: sent.clone(), answered: answered.into_owned() });
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

impl fmt::Display for RecordKeys {
    /// `tradeNo T1`, `tradeNo T1, refundNo R1`, or `no key`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("no key");
        }
        for (i, (name, value)) in self.0.iter().enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            write!(f, "{separator}{name} {value}")?;
        }
        Ok(())
    }
}

/// Keys by wire name, e.g. to build the error a test expects.
impl FromIterator<(&'static str, String)> for RecordKeys {
    fn from_iter<I: IntoIterator<Item = (&'static str, String)>>(keys: I) -> Self {
        Self(keys.into_iter().collect())
    }
}

impl crate::endpoint::KeyValues for RecordKeys {
    fn value_of(&self, wire_name: &str) -> Option<&str> {
        self.get(wire_name)
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

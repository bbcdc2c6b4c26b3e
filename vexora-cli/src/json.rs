//! JSON documents from the user, parsed by serde_json with one rule more:
//! a key that appears twice in any object is refused. serde_json keeps the
//! last copy, so `{"amount":"300","amount":"30000"}` would send 30000
//! while the person reading the file sees 300.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The one JSON value that is all of `bytes`, every object's keys unique
/// (compared after unescaping, as serde_json compares them).
pub fn parse(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = UniqueKeys.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Builds a [`Value`] like serde_json's own, refusing a repeated key.
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        // serde_json's parser never yields a non-finite number.
        Number::from_f64(value).map(Value::Number).ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut array = Vec::new();
        while let Some(item) = items.next_element_seed(UniqueKeys)? {
            array.push(item);
        }
        Ok(Value::Array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = members.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key {key:?}")));
            }
            let value = members.next_value_seed(UniqueKeys)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"a":[1,-2,3.5,"x",true,null,{}],"b":{"c":"d"},"e\u0066":""}"#;
        assert_eq!(parse(text.as_bytes()).ok(), serde_json::from_str::<Value>(text).ok());
        assert_eq!(parse(b" 7 ").ok(), Some(Value::from(7)));
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth() {
        let message = |text: &str| parse(text.as_bytes()).map_err(|error| error.to_string());
        assert!(message(r#"{"a":1,"a":1}"#).is_err_and(|m| m.starts_with("duplicate key \"a\" at line 1")));
        assert!(message(r#"{"a":1,"\u0061":2}"#).is_err_and(|m| m.starts_with("duplicate key \"a\"")));
        assert!(message(r#"[{"b":{"c":1,"c":2}}]"#).is_err_and(|m| m.starts_with("duplicate key \"c\"")));
        // The same key in two objects is no repeat.
        assert!(message(r#"{"a":{"k":1},"b":{"k":1},"k":[{"k":1},{"k":2}]}"#).is_ok());
    }

    #[test]
    fn anything_after_the_value_is_refused() {
        assert!(parse(br#"{"a":1} {"a":2}"#).is_err());
        assert!(parse(b"").is_err());
    }
}

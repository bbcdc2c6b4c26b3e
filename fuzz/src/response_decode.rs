//! `response_decode`: arbitrary bytes as a gateway answer, decoded into
//! each endpoint's typed `data`.
//!
//! Properties: decoding never panics and is deterministic; a refusal never
//! carries the accepted code; a decoded value writes back as JSON that reads
//! as itself; a missing `Content-Type` reads like a JSON one, a non-JSON one
//! and a non-2xx status are never decoded.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use vexora::Error;
use vexora::data::{Balance, CheckoutData, PayInResult};
use vexora::envelope::{ACCEPTED, decode};
use vexora::transport::HttpResponse;

/// Runs every property on `data` as a response body; returns whether it
/// decoded into one of the types.
pub fn check(data: &[u8]) -> bool {
    let answer = |status: u16, content_type: Option<&str>| HttpResponse {
        status,
        content_type: content_type.map(str::to_owned),
        body: data.to_vec(),
    };
    let ok = answer(200, Some("application/json"));
    let untyped = answer(200, None);
    let html = answer(200, Some("text/html"));
    let failed = answer(500, Some("application/json; charset=utf-8"));
    let checkout = one_type::<CheckoutData>(&ok, &untyped, &html, &failed);
    let query = one_type::<PayInResult>(&ok, &untyped, &html, &failed);
    let balance = one_type::<Balance>(&ok, &untyped, &html, &failed);
    checkout || query || balance
}

fn one_type<T>(ok: &HttpResponse, untyped: &HttpResponse, html: &HttpResponse, failed: &HttpResponse) -> bool
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let decoded = decode::<T>(ok);
    assert_eq!(format!("{decoded:?}"), format!("{:?}", decode::<T>(ok)), "decoding is not deterministic");
    assert_eq!(
        format!("{decoded:?}"),
        format!("{:?}", decode::<T>(untyped)),
        "a missing Content-Type must read like application/json"
    );
    let was_data = decoded.is_ok();
    match decoded {
        Ok(data) => {
            let json = match serde_json::to_vec(&data) {
                Ok(json) => json,
                Err(error) => panic!("decoded {data:?} does not serialise: {error}"),
            };
            match serde_json::from_slice::<T>(&json) {
                Ok(back) => assert_eq!(back, data, "{data:?} does not round-trip through its JSON"),
                Err(error) => panic!("decoded {data:?} wrote {json:?}, which does not read back: {error}"),
            }
        }
        Err(error) => check_error(&error),
    }
    assert!(matches!(decode::<T>(html), Err(Error::BadResponse { .. })), "a text/html answer must be a bad response");
    let on_failure = decode::<T>(failed);
    assert!(on_failure.is_err(), "HTTP 500 decoded as data: {on_failure:?}");
    if let Err(error) = on_failure {
        check_error(&error);
    }
    was_data
}

fn check_error(error: &Error) {
    let _ = error.to_string();
    match error {
        Error::Refused { code, .. } => assert_ne!(code, ACCEPTED, "refused with the accepted code"),
        Error::BadResponse { excerpt, .. } => assert!(excerpt.chars().count() <= 200, "excerpt too long"),
        other => panic!("decoding returned an error it cannot cause: {other:?}"),
    }
}

//! `sandbox_request`: arbitrary bytes as the body of a checkout, a query
//! and a balance request, judged by the sandbox's own code
//! (`vexora_sandbox::offline_judge`: `api::handle`, no socket, no runtime).
//!
//! Each input is one fresh sandbox session:
//! 1. the bytes as they are, to each endpoint (almost always refused at the
//!    signature, which fuzzes body parsing and refusals);
//! 2. if they start with `{`: a current `timestamp` added and the body
//!    signed with the SDK's raw-body signer, then sent to each endpoint,
//!    the checkout twice (which fuzzes the field rules and the handlers);
//! 3. if that body has a string `tradeNo`: a signed query for it, and a
//!    signed balance request.
//!
//! Properties: nothing panics; every answer is HTTP 200 JSON that the SDK
//! decodes into the endpoint's type or a refusal, never a bad response;
//! a body the SDK signed is never refused for its signature (the SDK's
//! `notification::signature` and the sandbox's verifier are independent
//! readings of one rule); an accepted checkout is refused as a duplicate
//! the second time, and can then be queried (status `0015`); a signed
//! balance request is always accepted.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use vexora::data::{Balance, CheckoutData, PayInResult};
use vexora::envelope::decode;
use vexora::signing::sign_pairs;
use vexora::transport::HttpResponse;
use vexora::types::TradeStatus;
use vexora::{AppSecret, Error};
use vexora_sandbox::TEST_MERCHANT_NO;

use super::{SECRET, judge, with_first_member};

const CHECKOUT: &str = "/taiwan/v1/vexora/checkout";
const QUERY: &str = "/taiwan/v1/vexora/queryPayInResult";
const BALANCE: &str = "/taiwan/v1/vexora/queryBalance";
/// The sandbox's codes this check tells apart.
const BAD_SIGNATURE: &str = "9002";
const DUPLICATE_TRADE_NO: &str = "9005";

/// Runs one session on `data`; returns whether a checkout was accepted.
pub fn check(data: &[u8]) -> bool {
    let secret = AppSecret::new(SECRET);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis()).to_string();
    let signed = with_first_member(data, "timestamp", &now).and_then(|stamped| {
        let sign = vexora::notification::signature(&stamped, &secret).ok()?;
        with_first_member(&stamped, "sign", sign.as_str())
    });
    let trade_no = signed.as_deref().and_then(string_trade_no);
    let query = trade_no.as_deref().map(|trade_no| signed_body(&[("timestamp", &now), ("tradeNo", trade_no)]));
    let balance = signed_body(&[("timestamp", &now)]);

    let mut requests: Vec<(&str, &str, &[u8])> =
        vec![(CHECKOUT, TEST_MERCHANT_NO, data), (QUERY, TEST_MERCHANT_NO, data), (BALANCE, TEST_MERCHANT_NO, data)];
    if let Some(signed) = &signed {
        for route in [CHECKOUT, CHECKOUT, QUERY, BALANCE] {
            requests.push((route, TEST_MERCHANT_NO, signed));
        }
    }
    if let Some(query) = &query {
        requests.push((QUERY, TEST_MERCHANT_NO, query));
        requests.push((BALANCE, TEST_MERCHANT_NO, &balance));
    }
    let answers = judge()(&requests);
    assert_eq!(answers.len(), requests.len(), "one answer a request");

    for ((route, _, _), answer) in requests.iter().zip(&answers) {
        match *route {
            CHECKOUT => code_of::<CheckoutData>(answer),
            QUERY => code_of::<PayInResult>(answer),
            _ => code_of::<Balance>(answer),
        };
    }
    let Some(signed_answers) = answers.get(3..7) else { return false };
    for answer in signed_answers {
        assert_ne!(code_of_any(answer), BAD_SIGNATURE, "a body the SDK signed was refused for its signature");
    }
    let checkout = decode::<CheckoutData>(&signed_answers[0]);
    let Ok(order) = checkout else { return false };
    assert_eq!(order.status, TradeStatus::Processing, "a new order is not processing");
    assert!(order.payment_url().is_some(), "an accepted checkout has no cashier URL");
    assert_eq!(code_of_any(&signed_answers[1]), DUPLICATE_TRADE_NO, "the same tradeNo was accepted twice");
    let Some(trade_no) = trade_no else { panic!("a checkout without a string tradeNo was accepted") };
    assert_eq!(order.trade_no, trade_no, "the order has another tradeNo");
    let Some(found) = answers.get(7) else { panic!("no query after an accepted checkout") };
    match decode::<PayInResult>(found) {
        Ok(result) => {
            assert_eq!(result.trade_no, trade_no);
            assert_eq!(result.plat_form_trade_no, order.plat_form_trade_no);
            assert_eq!(result.status, TradeStatus::Processing);
        }
        Err(error) => panic!("the order just created is not found: {error}"),
    }
    if let Some(balance) = answers.get(8) {
        assert!(decode::<Balance>(balance).is_ok(), "a signed balance request was refused");
    }
    true
}

/// `tradeNo` of a body, if it is a JSON string (what a checkout needs).
fn string_trade_no(body: &[u8]) -> Option<String> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).ok()?;
    match object.get("tradeNo")? {
        serde_json::Value::String(trade_no) if !trade_no.is_empty() => Some(trade_no.clone()),
        _ => None,
    }
}

/// A JSON body of string `fields` plus their `sign`.
fn signed_body(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut object: serde_json::Map<String, serde_json::Value> =
        fields.iter().map(|(key, value)| ((*key).to_owned(), serde_json::Value::from(*value))).collect();
    let sign = sign_pairs(fields.iter().copied(), SECRET.as_bytes());
    object.insert("sign".to_owned(), sign.to_string().into());
    serde_json::Value::Object(object).to_string().into_bytes()
}

/// The envelope's code, after checking the answer is one the SDK reads:
/// HTTP 200 JSON that decodes into `T` (code `0000`) or is a refusal.
fn code_of<T: DeserializeOwned>(answer: &HttpResponse) -> String {
    assert_eq!(answer.status, 200, "the sandbox answers every API request with HTTP 200");
    assert!(
        answer.content_type.as_deref().is_some_and(|content_type| content_type.contains("json")),
        "not JSON: {:?}",
        answer.content_type
    );
    match decode::<T>(answer) {
        Ok(_) => vexora::envelope::ACCEPTED.to_owned(),
        Err(Error::Refused { code, msg }) => {
            assert!(code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()), "odd code {code:?}");
            assert!(!msg.is_empty(), "refusal {code} without a message");
            code
        }
        Err(error) => panic!("the SDK cannot read the sandbox's answer: {error}"),
    }
}

/// The envelope's code, whatever the endpoint.
fn code_of_any(answer: &HttpResponse) -> String {
    code_of::<serde::de::IgnoredAny>(answer)
}

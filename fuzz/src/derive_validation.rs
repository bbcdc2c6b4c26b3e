//! `derive_validation`: arbitrary bytes read as a `CheckoutRequest`
//! (`serde_json`), then the code `#[derive(Signable, Validate)]` generated:
//! validation, the canonical string, the signature and the JSON body.
//!
//! Properties: nothing panics; validation is deterministic and names only
//! the request's wire fields; for every request read (valid or not, since
//! none of this depends on validity) the signature is MD5 of the canonical
//! string and the secret (md-5 directly), the body is a JSON object of
//! exactly the visited fields as strings plus `sign`, the generic signer
//! over the body's string values gives the derive's signature, and the body
//! without `timestamp` and `sign` reads back as a request with the same
//! canonical string. Last, the derive and the sandbox's spec rules (written
//! independently) agree: the sandbox accepts a checkout exactly when the
//! derive finds it valid.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use vexora::__private::decode;
use vexora::__private::{write_json_body, FieldVisitor};
use vexora::data::CheckoutData;
use vexora::signing::{canonical_of_pairs, request_canonical, sign_pairs, sign_request};
use vexora::taiwan::CheckoutRequest;
use vexora::Signable;
use vexora::{Error, Validate};
use vexora_sandbox::TEST_MERCHANT_NO;

use super::{judge, md5_hex, SECRET};

/// The timestamp of the signature checks: the seed examples'.
const TIMESTAMP: &str = "1724142041682";
const CHECKOUT: &str = "/taiwan/v1/vexora/checkout";

/// The fields a request visits, in order.
#[derive(Default)]
struct Visited(Vec<(String, String)>);

impl FieldVisitor for Visited {
    fn visit(&mut self, key: &str, value: &str) {
        if !value.is_empty() {
            self.0.push((key.to_owned(), value.to_owned()));
        }
    }
}

/// Runs every property on `data` read as a checkout request; returns
/// whether the request was valid.
pub fn check(data: &[u8]) -> bool {
    let Ok(request) = serde_json::from_slice::<CheckoutRequest>(data) else { return false };
    let validation = request.validate();
    assert_eq!(validation, request.validate(), "validation is not deterministic");
    if let Err(errors) = &validation {
        assert!(!errors.violations().is_empty(), "invalid without a violation");
        let _ = errors.to_string();
        for violation in errors.violations() {
            assert!(
                CheckoutRequest::FIELDS.iter().any(|field| field.name == violation.field),
                "violation of an unknown field {:?}",
                violation.field
            );
        }
        assert!(serde_json::to_string(errors).is_ok(), "a validation report does not serialise");
    }

    let canonical = request_canonical(&request, TIMESTAMP);
    let sign = sign_request(&request, TIMESTAMP, SECRET.as_bytes());
    assert_eq!(sign.to_string(), md5_hex(&canonical, SECRET), "signature is not MD5(canonical + secret)");
    let mut visited = Visited::default();
    request.visit_wire_fields(TIMESTAMP, &mut visited);
    let pairs = || visited.0.iter().map(|(key, value)| (key.as_str(), value.as_str()));
    assert_eq!(canonical_of_pairs(pairs()), canonical, "the fields are not visited in canonical order");

    let mut body = Vec::new();
    write_json_body(&request, TIMESTAMP, sign.as_str(), &mut body);
    let mut object = match serde_json::from_slice::<Map<String, Value>>(&body) {
        Ok(object) => object,
        Err(error) => panic!("the body is not a JSON object ({error}): {}", String::from_utf8_lossy(&body)),
    };
    assert_eq!(object.len(), visited.0.len() + 1, "the body's members are not the visited fields and sign");
    for (key, value) in pairs() {
        assert_eq!(object.get(key).and_then(Value::as_str), Some(value), "{key} is not its wire text in the body");
    }
    assert_eq!(object.get("sign").and_then(Value::as_str), Some(sign.as_str()), "sign is not in the body");
    let strings = object.iter().filter_map(|(key, value)| Some((key.as_str(), value.as_str()?)));
    assert_eq!(sign_pairs(strings, SECRET.as_bytes()), sign, "the generic signature of the body differs");

    object.remove("sign");
    object.remove("timestamp");
    match serde_json::from_value::<CheckoutRequest>(Value::Object(object)) {
        Ok(back) => assert_eq!(request_canonical(&back, TIMESTAMP), canonical, "the body reads back differently"),
        Err(error) => panic!("the body does not read back as a request: {error}"),
    }

    agrees_with_the_sandbox(&request, validation.is_ok());
    validation.is_ok()
}

/// The sandbox judges the request as the client would send it now.
fn agrees_with_the_sandbox(request: &CheckoutRequest, valid: bool) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis()).to_string();
    let sign = sign_request(request, &now, SECRET.as_bytes());
    let mut body = Vec::new();
    write_json_body(request, &now, sign.as_str(), &mut body);
    let answers = judge()(&[(CHECKOUT, TEST_MERCHANT_NO, &body)]);
    let Some(answer) = answers.first() else { panic!("the sandbox gave no answer") };
    match decode::<CheckoutData>(answer) {
        Ok(_) => assert!(valid, "the sandbox accepted a checkout the derive finds invalid: {:?}", request.validate()),
        Err(Error::Refused { code, msg }) => {
            assert!(!valid, "the sandbox refused a checkout the derive finds valid: {code} {msg}")
        }
        Err(error) => panic!("the SDK cannot read the sandbox's answer: {error}"),
    }
}

//! `derive_validation`: arbitrary bytes read as a `CheckoutRequest`
//! (`serde_json`), then the code `#[derive(Signable, Validate)]` generated:
//! validation, the canonical string, the signature and the JSON body.
//!
//! Properties: nothing panics; validation is deterministic and names only
//! the request's wire fields; for every request read (valid or not, since
//! none of this depends on validity) the signature is MD5 of the canonical
//! string and the secret (md-5 directly), the generic signer over the
//! visited fields gives the derive's signature, and the visited fields
//! without `timestamp` read back as a request with the same canonical
//! string. For a valid request, the body the client prepares is a JSON
//! object of exactly the visited fields as strings plus `sign`. Last, the
//! derive and the sandbox's spec rules (written independently) agree: the
//! sandbox accepts a checkout exactly when the derive finds it valid.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use vexora::clock::FixedClock;
use vexora::data::CheckoutData;
use vexora::envelope::decode;
use vexora::signing::{canonical_of_pairs, request_canonical, sign_pairs, sign_request};
use vexora::taiwan::CheckoutRequest;
use vexora::transport::RecordingTransport;
use vexora::{Client, Config, Error, FieldVisitor, Signable, Validate};
use vexora_sandbox::TEST_MERCHANT_NO;

use super::{SECRET, judge, md5_hex};

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

    assert_eq!(sign_pairs(pairs(), SECRET.as_bytes()), sign, "the generic signature of the fields differs");

    if validation.is_ok() {
        prepared_body_is_the_visited_fields(&request, &visited, &sign.to_string());
    }

    let mut object = visited.object();
    object.remove("timestamp");
    match serde_json::from_value::<CheckoutRequest>(Value::Object(object)) {
        Ok(back) => assert_eq!(request_canonical(&back, TIMESTAMP), canonical, "the body reads back differently"),
        Err(error) => panic!("the body does not read back as a request: {error}"),
    }

    agrees_with_the_sandbox(&request, validation.is_ok());
    validation.is_ok()
}

/// The body [`Client::prepare`] writes for `request` at [`TIMESTAMP`]:
/// every visited field as a JSON string, then `sign`.
fn prepared_body_is_the_visited_fields(request: &CheckoutRequest, visited: &Visited, sign: &str) {
    let config = Config::builder()
        .merchant_no(TEST_MERCHANT_NO)
        .app_secret(SECRET)
        .base_url("https://sandbox.invalid/taiwan")
        .build();
    let config = config.unwrap_or_else(|error| panic!("the test configuration is refused: {error}"));
    let timestamp = TIMESTAMP.parse().unwrap_or_default();
    let client = Client::with_transport(config, RecordingTransport::new()).with_clock(FixedClock(timestamp));
    let prepared = match client.prepare(request) {
        Ok(prepared) => prepared,
        // Valid, but larger than the client sends: there is no body.
        Err(Error::Invalid(errors)) if errors.violations().iter().all(|v| v.code == "request_too_large") => return,
        Err(error) => panic!("a valid request is not prepared: {error}"),
    };
    let body = match serde_json::from_slice::<Map<String, Value>>(&prepared.body) {
        Ok(object) => object,
        Err(error) => panic!("the body is not a JSON object ({error}): {}", String::from_utf8_lossy(&prepared.body)),
    };
    let mut expected = visited.object();
    expected.insert("sign".to_owned(), sign.into());
    assert_eq!(body, expected, "the body's members are not the visited fields as strings and sign");
}

impl Visited {
    /// The visited fields as a JSON object of strings.
    fn object(&self) -> Map<String, Value> {
        self.0.iter().map(|(key, value)| (key.clone(), Value::from(value.as_str()))).collect()
    }
}

/// The sandbox judges the request as the client would send it now.
fn agrees_with_the_sandbox(request: &CheckoutRequest, valid: bool) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis()).to_string();
    let sign = sign_request(request, &now, SECRET.as_bytes());
    let mut visited = Visited::default();
    request.visit_wire_fields(&now, &mut visited);
    let mut object = visited.object();
    object.insert("sign".to_owned(), sign.to_string().into());
    let body = Value::Object(object).to_string().into_bytes();
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

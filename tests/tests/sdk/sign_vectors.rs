//! Every case of the independent signature vectors, through every signing
//! route the SDK has: the generic one (any JSON object) and the derive's
//! (a typed request), which must agree with each other and with the vectors.

use serde_json::{Map, Value};
use vexora::signing::{canonical_of_pairs, request_canonical, sign_pairs, sign_request};
use vexora::taiwan::CheckoutRequest;
use vexora_tests::{SignVector, generic_canonical, md5_hex, sign_vectors};

fn request_vectors() -> Vec<SignVector> {
    sign_vectors().into_iter().filter(|case| case.kind == "request").collect()
}

#[test]
fn the_fixture_is_the_shared_file_byte_for_byte() {
    let ours = std::fs::read(vexora_tests::fixtures_dir().join("sign-vectors.json")).expect("fixture");
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/sign-vectors.json");
    // CI lays shared/ beside the clone; elsewhere the copy stands alone.
    if let Ok(shared) = std::fs::read(shared) {
        assert_eq!(ours, shared, "tests/fixtures/sign-vectors.json must stay byte-identical to shared/vectors/");
    }
    assert_eq!(sign_vectors().len(), 9, "all cases load");
}

#[test]
fn every_vector_is_self_consistent() {
    for case in sign_vectors() {
        assert_eq!(md5_hex(&case.canonical, &case.secret), case.sign, "{}", case.name);
    }
}

#[test]
fn generic_signing_matches_every_request_vector() {
    let cases = request_vectors();
    assert_eq!(cases.len(), 6);
    for case in cases {
        let body = case.body.as_ref().expect("request vectors carry a body");
        assert_eq!(generic_canonical(body), case.canonical, "{}: generic canonical", case.name);
        assert_eq!(md5_hex(&generic_canonical(body), &case.secret), case.sign, "{}: generic sign", case.name);

        // The SDK's run-time primitive, fed the string pairs unsorted.
        let pairs: Vec<(&str, &str)> =
            body.iter().filter_map(|(key, value)| value.as_str().map(|text| (key.as_str(), text))).collect();
        assert_eq!(canonical_of_pairs(pairs.iter().copied()), case.canonical, "{}: canonical_of_pairs", case.name);
        assert_eq!(sign_pairs(pairs, case.secret.as_bytes()).as_str(), case.sign, "{}: sign_pairs", case.name);
    }
}

/// A vector's body as a checkout request: `timestamp` and `sign` are the
/// client's, everything else is the struct's.
fn as_checkout(body: &Map<String, Value>) -> Option<(CheckoutRequest, String)> {
    let mut fields = body.clone();
    fields.remove("sign");
    let timestamp = fields.remove("timestamp")?.as_str()?.to_owned();
    let request = serde_json::from_value(Value::Object(fields)).ok()?;
    Some((request, timestamp))
}

#[test]
fn the_derive_matches_every_checkout_shaped_vector() {
    let mut derived = Vec::new();
    for case in request_vectors() {
        let Some((request, timestamp)) = as_checkout(case.body.as_ref().expect("body")) else {
            continue;
        };
        assert_eq!(request_canonical(&request, &timestamp), case.canonical, "{}: derive canonical", case.name);
        assert_eq!(sign_request(&request, &timestamp, case.secret.as_bytes()).as_str(), case.sign, "{}", case.name);
        derived.push(case.name);
    }
    // Every case but the synthetic key-ordering one is a checkout body.
    assert_eq!(
        derived,
        [
            "checkout_net_banking_seed_example",
            "checkout_store_seed_example",
            "checkout_ewallet_no_remark",
            "empty_and_null_values_are_skipped",
            "utf8_names_and_url_with_query"
        ]
    );
}

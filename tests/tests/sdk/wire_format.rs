//! The exact bytes that go on the wire, locked by snapshots.
//!
//! The clock and the secret are fixed, so the signature inside each snapshot
//! is itself the assertion: a change to the canonical order, the set of
//! signed fields or the body encoding changes it.

use futures_lite::future::block_on;
use vexora::Error;
use vexora::signing::request_canonical;
use vexora_tests::{SEED_TIMESTAMP, recording_client, render_http, seed_net_banking, seed_store};

const ACCEPTED: &str = r#"{"msg":"success","code":"0000","timestamp":1728609277476,"success":true,"data":{"tradeNo":"00000007","platFormTradeNo":"c167o1itir0fypid","status":"0015","desc":"Paying","remark":"000000","paymentUrl":"https://cashier.example/c167o1itir0fypid"}}"#;

fn sent_request(request: &vexora::taiwan::CheckoutRequest) -> String {
    let (client, transport) = recording_client("taiwan");
    transport.reply(200, ACCEPTED);
    block_on(client.send(request)).expect("the seed example is accepted");
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    render_http(&sent[0])
}

#[test]
fn seed_net_banking_request_bytes() {
    insta::assert_snapshot!(sent_request(&seed_net_banking()));
}

#[test]
fn seed_store_request_bytes() {
    insta::assert_snapshot!(sent_request(&seed_store()));
}

#[test]
fn seed_canonical_strings() {
    let timestamp = SEED_TIMESTAMP.to_string();
    insta::assert_snapshot!("net_banking_canonical", request_canonical(&seed_net_banking(), &timestamp));
    insta::assert_snapshot!("store_canonical", request_canonical(&seed_store(), &timestamp));
}

#[test]
fn the_seed_signatures_equal_the_independent_vectors() {
    // Same body, timestamp and secret as the vectors' two seed cases.
    for (request, sign) in
        [(seed_net_banking(), "5ee6720d71d0ed2458a065960490f67e"), (seed_store(), "47f902ee7bf1d42545efb633b52733f8")]
    {
        let (client, _) = recording_client("taiwan");
        let prepared = client.prepare(&request).expect("valid");
        let body: serde_json::Value = serde_json::from_slice(&prepared.body).expect("JSON body");
        assert_eq!(body["sign"], sign);
    }
}

#[test]
fn every_body_value_is_a_json_string() {
    let (client, _) = recording_client("taiwan");
    let prepared = client.prepare(&seed_net_banking()).expect("valid");
    let body: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&prepared.body).expect("object");
    assert!(body.values().all(serde_json::Value::is_string), "{body:?}");
    // The seed example's 13 fields (no postcode/address), timestamp and sign.
    assert_eq!(body.len(), 15);
}

#[test]
fn a_refusal_carries_code_and_msg() {
    let (client, transport) = recording_client("taiwan");
    transport
        .reply(200, r#"{"msg":"sign error","code":"8000","timestamp":"1728609277476","success":"false","data":null}"#);
    match block_on(client.send(&seed_net_banking())) {
        Err(Error::Refused { code, msg }) => assert_eq!((code.as_str(), msg.as_str()), ("8000", "sign error")),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn envelope_forms_and_payment_link_names_are_all_accepted() {
    let documented = r#"{"msg":"success","code":"0000","timestamp":"1728609277476","success":"true","data":{"tradeNo":"00000007","platFormTradeNo":"P","status":"0015","desc":"Paying","remark":"r","paymentLink":"https://a.example/"}}"#;
    for (body, link) in [(ACCEPTED, "https://cashier.example/c167o1itir0fypid"), (documented, "https://a.example/")] {
        let (client, transport) = recording_client("taiwan");
        transport.reply(200, body);
        let data = block_on(client.send(&seed_net_banking())).expect("accepted");
        assert_eq!(data.payment_url(), Some(link));
    }
}

#[test]
fn undecodable_checkout_answers_are_unknown_outcomes_with_an_excerpt() {
    for (status, body) in [
        (502, "<html><body>Bad Gateway</body></html>"),
        (200, r#"{"msg":"success","code":"0000","data":{"tradeNo":"#),
        (200, ""),
        (200, r#"{"msg":"success","code":"0000"}"#),
        (200, r#"{"msg":"success","code":"0000","data":{"tradeNo":1}}"#),
    ] {
        let (client, transport) = recording_client("taiwan");
        transport.reply(status, body);
        // A checkout answered unreadably may still have created the order.
        match block_on(client.send(&seed_net_banking())) {
            Err(Error::OutcomeUnknown { keys, cause }) => {
                assert_eq!(keys.to_string(), "tradeNo 00000007");
                match *cause {
                    Error::BadResponse { status: got, excerpt, .. } => {
                        assert_eq!(got, status);
                        assert_eq!(excerpt, body.chars().take(200).collect::<String>());
                    }
                    other => panic!("expected a bad response for {body:?}, got {other:?}"),
                }
            }
            other => panic!("expected an unknown outcome for {body:?}, got {other:?}"),
        }
    }
}

/// Australia's query answers do not list `tradeNo` in their `data`: the
/// answer is read as the order asked about.
#[test]
fn an_answer_without_the_trade_no_is_read_as_the_order_asked_about() {
    let (client, transport) = recording_client("australia");
    let query = vexora::australia::PayInQueryRequest::builder().trade_no(vexora::types::TradeNo::new("T1")).build();
    transport.reply(
        200,
        r#"{"code":"0000","msg":"success","data":{"platFormTradeNo":"P1","status":"0000","message":"paid"}}"#,
    );
    let result = block_on(client.send(&query)).expect("decodes without data.tradeNo");
    assert_eq!((result.trade_no.as_str(), result.plat_form_trade_no.as_str()), ("T1", "P1"));
    assert_eq!(result.status, vexora::types::TradeStatus::Success);
}

//! The pay-in query and the balance: exact request bytes, and responses
//! whose amounts arrive as numbers or strings.

use futures_lite::future::block_on;
use vexora::taiwan::{BalanceRequest, PayInQueryRequest};
use vexora::types::{DecimalText, TradeStatus};
use vexora::{Error, Validate};
use vexora_tests::{recording_client, render_http};

fn envelope(data: &str) -> String {
    format!(r#"{{"msg":"success","code":"0000","timestamp":1728609277476,"success":true,"data":{data}}}"#)
}

#[test]
fn query_request_bytes() {
    let (client, transport) = recording_client("taiwan");
    transport.reply(
        200,
        envelope(r#"{"tradeNo":"00000007","platFormTradeNo":"c167o1itir0fypid","status":"0015","amount":"0.00","message":"Paying"}"#),
    );
    block_on(client.send(&PayInQueryRequest::new("00000007"))).expect("accepted");
    insta::assert_snapshot!(render_http(&transport.requests()[0]));
}

#[test]
fn balance_request_bytes() {
    let (client, transport) = recording_client("taiwan");
    transport
        .reply(200, envelope(r#"{"availableAmount":"0.0000","freezeAmount":"0.0000","unsettledAmount":"0.0000"}"#));
    block_on(client.send(&BalanceRequest::builder().build())).expect("accepted");
    insta::assert_snapshot!(render_http(&transport.requests()[0]));
}

#[test]
fn query_amounts_keep_their_exact_text_from_numbers_and_strings() {
    for (amount, text) in [("50002.0000", "50002.0000"), (r#""300.00""#, "300.00"), ("3", "3")] {
        let (client, transport) = recording_client("taiwan");
        transport.reply(
            200,
            envelope(&format!(
                r#"{{"tradeNo":"T1","platFormTradeNo":"P1","status":"0000","amount":{amount},"message":"success"}}"#
            )),
        );
        let result = block_on(client.send(&PayInQueryRequest::new("T1"))).expect("accepted");
        assert_eq!(result.amount.as_ref().map(DecimalText::as_str), Some(text));
        assert_eq!(result.status, TradeStatus::Success);
    }
}

#[test]
fn every_status_code_parses_and_unknown_ones_are_kept() {
    for (code, status) in [
        ("0000", TradeStatus::Success),
        ("0001", TradeStatus::Partial),
        ("0015", TradeStatus::Processing),
        ("00029", TradeStatus::Failed),
        ("0042", TradeStatus::Other("0042".into())),
    ] {
        let (client, transport) = recording_client("taiwan");
        transport.reply(200, envelope(&format!(r#"{{"tradeNo":"T1","platFormTradeNo":"P1","status":"{code}"}}"#)));
        let result = block_on(client.send(&PayInQueryRequest::new("T1"))).expect("an unknown status never fails");
        assert_eq!(result.status, status);
        assert_eq!(result.status.code(), code);
        assert_eq!(result.amount, None);
    }
}

#[test]
fn balances_arrive_as_numbers_or_strings() {
    let (client, transport) = recording_client("taiwan");
    transport
        .reply(200, envelope(r#"{"availableAmount":9998989.1200,"freezeAmount":"0.0000","unsettledAmount":1200}"#));
    let balance = block_on(client.send(&BalanceRequest::builder().build())).expect("accepted");
    assert_eq!(balance.available_amount.as_str(), "9998989.1200");
    assert_eq!(balance.freeze_amount.as_str(), "0.0000");
    assert_eq!(balance.unsettled_amount.as_str(), "1200");
}

#[test]
fn an_amount_that_is_not_a_decimal_is_a_bad_response() {
    let (client, transport) = recording_client("taiwan");
    transport.reply(200, envelope(r#"{"availableAmount":"lots","freezeAmount":"0","unsettledAmount":"0"}"#));
    match block_on(client.send(&BalanceRequest::builder().build())) {
        Err(Error::BadResponse { reason, .. }) => assert!(reason.contains("not a decimal"), "{reason}"),
        other => panic!("expected a bad response, got {other:?}"),
    }
}

#[test]
fn a_query_for_an_empty_trade_no_is_not_sent() {
    // Any other number is sent: a query must find an order made another way.
    assert!(PayInQueryRequest::new("spaces and dots. allowed").validate().is_ok());
    assert!(PayInQueryRequest::new("").validate().expect_err("invalid").has("tradeNo", "required"));
    let (client, transport) = recording_client("taiwan");
    assert!(matches!(block_on(client.send(&PayInQueryRequest::new(""))), Err(Error::Invalid(_))));
    assert!(transport.requests().is_empty());
}

#[test]
fn regional_result_fields_are_typed_and_undocumented_ones_kept_as_received() {
    let (client, transport) = recording_client("taiwan");
    transport.reply(
        200,
        envelope(
            r#"{"tradeNo":"T1","platFormTradeNo":"p1","status":"0000","orderAmount":300,"payAmount":"300.00","successTime":"2025-11-26 12:00:00","settlementBatch":"B-7"}"#,
        ),
    );
    let result = block_on(client.send(&PayInQueryRequest::new("T1"))).expect("accepted");
    assert_eq!(result.amount, None);
    assert_eq!(result.order_amount.as_ref().map(|amount| amount.as_str()), Some("300"));
    assert_eq!(result.pay_amount.as_ref().map(|amount| amount.as_str()), Some("300.00"));
    assert_eq!(result.success_time.as_deref(), Some("2025-11-26 12:00:00"));
    assert_eq!(result.other.len(), 1);
    assert_eq!(result.other["settlementBatch"], "B-7");
}

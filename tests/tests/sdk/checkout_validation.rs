//! Every rule of the Taiwan checkout, broken one at a time, and all of them
//! at once; invalid input never reaches the transport.

use futures_lite::future::block_on;
use vexora::taiwan::{ChannelCode, CheckoutRequest};
use vexora::types::{Amount, HttpUrl, TradeNo};
use vexora::{Error, Validate};
use vexora_tests::{changed, recording_client, seed_net_banking, seed_store};

/// Validates `request` and returns `(field, code)` of every violation.
fn violations(request: &CheckoutRequest) -> Vec<(String, String)> {
    match request.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.violations().iter().map(|v| (v.field.clone(), v.code.clone())).collect(),
    }
}

fn only(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

#[test]
fn the_seed_examples_are_valid() {
    assert_eq!(violations(&seed_net_banking()), []);
    assert_eq!(violations(&seed_store()), []);
}

#[test]
fn required_fields_must_be_present() {
    let request = changed(seed_net_banking(), |request| request.firstname = String::new());
    assert_eq!(violations(&request), only("firstname", "required"));
    let request = changed(seed_net_banking(), |request| request.amount = Amount::new(0));
    assert_eq!(violations(&request), only("amount", "required"));
}

#[test]
fn a_zero_amount_is_reported_as_an_amount_not_as_empty_text() {
    let message = |errors: vexora::validation::ValidationErrors| errors.violations()[0].message.clone();
    let whole = changed(seed_net_banking(), |request| request.amount = Amount::new(0));
    assert_eq!(message(whole.validate().unwrap_err()), "is required and must be an amount greater than 0");
    // Filled field by field, with no amount.
    let mut decimal = vexora::bangladesh::CheckoutRequest::default();
    decimal.trade_no = TradeNo::new("BD1");
    decimal.way_code = "BKASH".to_owned();
    decimal.notify_url = HttpUrl::new("https://shop.example/notify");
    assert_eq!(message(decimal.validate().unwrap_err()), "is required and must be an amount greater than 0");
    let text = changed(seed_net_banking(), |request| request.firstname = String::new());
    assert_eq!(message(text.validate().unwrap_err()), "is required and must not be empty");
}

#[test]
fn store_requires_postcode_and_address() {
    let request = changed(seed_store(), |request| {
        request.postcode = None;
        request.address = Some(String::new());
    });
    assert_eq!(violations(&request), [only("postcode", "required_if"), only("address", "required_if")].concat());
}

#[test]
fn net_banking_requires_bank_number() {
    let request = changed(seed_net_banking(), |request| request.bank_number = None);
    assert_eq!(violations(&request), only("bankNumber", "required_if"));
    // Not required for the other channels.
    assert_eq!(violations(&changed(seed_store(), |request| request.bank_number = None)), []);
}

#[test]
fn trade_no_is_at_most_32_safe_characters() {
    let request = changed(seed_net_banking(), |request| request.trade_no = TradeNo::new("1".repeat(33)));
    assert_eq!(violations(&request), only("tradeNo", "max_length"));
    let request = changed(seed_net_banking(), |request| request.trade_no = TradeNo::new("T=1"));
    assert_eq!(violations(&request), only("tradeNo", "pattern"));
}

#[test]
fn mobile_is_ten_digits_starting_with_zero() {
    for bad in ["912345678", "+886912345678", "09123456789", "1912345678", "09-2345678"] {
        let request = changed(seed_net_banking(), |request| request.mobile = bad.into());
        assert_eq!(violations(&request), only("mobile", "pattern"), "{bad}");
    }
}

#[test]
fn email_ip_and_urls_have_their_formats() {
    let request = changed(seed_net_banking(), |request| request.email = "123.gmail.com".into());
    assert_eq!(violations(&request), only("email", "email"));
    let request = changed(seed_net_banking(), |request| request.ip_address = "192.168.0.256".into());
    assert_eq!(violations(&request), only("ipAddress", "ip"));
    let request = changed(seed_net_banking(), |request| request.ip_address = "2001:db8::1".into());
    assert_eq!(violations(&request), []);
    let request = changed(seed_net_banking(), |request| request.notify_url = "google.com".into());
    assert_eq!(violations(&request), only("notifyUrl", "url"));
    let request = changed(seed_net_banking(), |request| request.return_url = "ftp://abc.com/".into());
    assert_eq!(violations(&request), only("returnUrl", "url"));
}

#[test]
fn channel_code_is_one_of_the_documented_codes() {
    let request = changed(seed_net_banking(), |request| request.channel_code = ChannelCode::Other("CARD".into()));
    assert_eq!(violations(&request), only("channelCode", "one_of"));
}

#[test]
fn bank_number_is_checked_by_its_custom_rule() {
    let request = changed(seed_net_banking(), |request| request.bank_number = Some("808\u{2011}0368988888888".into()));
    let errors = request.validate().expect_err("a Unicode dash is refused");
    let violation = &errors.violations()[0];
    assert_eq!((violation.field.as_str(), violation.code.as_str()), ("bankNumber", "bank_number"));
    assert!(violation.message.contains("U+2011"), "{}", violation.message);
}

#[test]
fn every_violation_is_reported_at_once_in_field_order() {
    let request = changed(seed_net_banking(), |request| {
        request.trade_no = TradeNo::new("x".repeat(40));
        request.amount = Amount::new(0);
        request.mobile = "12345".into();
        request.firstname = String::new();
        request.lastname = "efg".into();
        request.email = "nobody".into();
        request.channel_code = ChannelCode::Store;
        request.ip_address = "localhost".into();
        request.postcode = None;
        request.address = None;
        request.bank_number = Some("808-12,oops".into());
        request.notify_url = "https://google.com".into();
        request.return_url = "/relative".into();
    });
    let errors = request.validate().expect_err("many rules are broken");
    insta::assert_json_snapshot!(errors);
}

#[test]
fn invalid_input_never_reaches_the_transport() {
    let (client, transport) = recording_client("taiwan");
    transport.reply(200, r#"{"code":"0000","msg":"success","data":{}}"#);
    let request = changed(seed_net_banking(), |request| request.mobile = "not a phone".into());
    match block_on(client.send(&request)) {
        Err(Error::Invalid(errors)) => assert!(errors.has("mobile", "pattern")),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert!(transport.requests().is_empty(), "nothing was sent");
}

#[test]
fn json_input_with_missing_fields_reports_them_by_wire_name() {
    let request: CheckoutRequest = serde_json::from_str(r#"{"tradeNo":"T1","amount":"300"}"#).expect("parses");
    let fields: Vec<String> = violations(&request).into_iter().map(|(field, _)| field).collect();
    assert_eq!(
        fields,
        ["mobile", "firstname", "lastname", "email", "channelCode", "wayCode", "ipAddress", "notifyUrl", "returnUrl"]
    );
}

#[test]
fn json_input_rejects_decimals_and_client_fields() {
    let error = serde_json::from_str::<CheckoutRequest>(r#"{"amount":"300.50"}"#).expect_err("decimals");
    assert!(error.to_string().contains("whole number"), "{error}");
    let error = serde_json::from_str::<CheckoutRequest>(r#"{"sign":"abc"}"#).expect_err("sign is the client's");
    assert!(error.to_string().contains("unknown field `sign`"), "{error}");
}

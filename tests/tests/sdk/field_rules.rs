//! The merchant's own check for a field in place of its documented pattern
//! (`ConfigBuilder::field_rule`): a Taiwan payout's bank code, documented as
//! 3 digits, accepted as 3 or 4 for a merchant told so.

use futures_lite::future::block_on;
use vexora::taiwan::PayoutRequest;
use vexora::transport::RecordingTransport;
use vexora::types::TradeNo;
use vexora::validation::CONFIGURED;
use vexora::{Client, ConfigError, Error};
use vexora_tests::sandbox_config;

fn three_or_four_digits(code: &str) -> bool {
    (3..=4).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

fn payout(bank_code: &str) -> PayoutRequest {
    PayoutRequest::builder()
        .trade_no(TradeNo::new("PO-1"))
        .amount(100)
        .bank_code(bank_code)
        .bank_number("3560123456789012")
        .mobile("0912345678")
        .email("payee@example.com")
        .name("Lin Mei")
        .notify_url("https://merchant.example/vexora/notify")
        .build()
}

fn client(configured: bool) -> (Client<RecordingTransport>, RecordingTransport) {
    let mut config = sandbox_config("https://gateway.example/taiwan");
    if configured {
        config = config.field_rule("taiwan/payout", "bankCode", "3 or 4 digits", three_or_four_digits);
    }
    let transport = RecordingTransport::new();
    (Client::with_transport(config.build().expect("valid"), transport.clone()), transport)
}

fn violations(result: Result<vexora::transport::HttpRequest, Error>) -> Vec<(String, String)> {
    match result {
        Err(Error::Invalid(errors)) => {
            errors.violations().iter().map(|violation| (violation.field.clone(), violation.code.clone())).collect()
        }
        other => panic!("expected violations, got {other:?}"),
    }
}

#[test]
fn without_a_rule_the_documented_pattern_holds() {
    let (client, _) = client(false);
    assert_eq!(violations(client.prepare(&payout("0041"))), [("bankCode".to_owned(), "pattern".to_owned())]);
    assert!(client.prepare(&payout("004")).is_ok());
}

#[test]
fn the_rule_replaces_the_pattern_and_the_value_is_sent_as_is() {
    let (client, transport) = client(true);
    let prepared = client.prepare(&payout("0041")).expect("accepted by the merchant's rule");
    assert!(String::from_utf8_lossy(&prepared.body).contains(r#""bankCode":"0041""#));
    assert!(client.prepare(&payout("004")).is_ok());
    transport.reply(
        200,
        r#"{"code":"0000","msg":"success","data":{"tradeNo":"PO-1","platFormTradeNo":"p1","status":"0015"}}"#,
    );
    block_on(client.send(&payout("0041"))).expect("sent");
    assert_eq!(transport.requests().len(), 1);
}

#[test]
fn a_value_the_rule_refuses_is_named_with_what_was_configured_and_not_sent() {
    let (client, transport) = client(true);
    match block_on(client.send(&payout("12"))) {
        Err(Error::Invalid(errors)) => {
            let violation = &errors.violations()[0];
            assert_eq!((violation.field.as_str(), violation.code.as_str()), ("bankCode", CONFIGURED));
            assert_eq!(violation.message, "must be 3 or 4 digits, as configured for this merchant");
            assert_eq!(violation.params["expected"], "3 or 4 digits");
        }
        other => panic!("expected a violation, got {other:?}"),
    }
    assert!(transport.requests().is_empty(), "nothing was sent");
}

#[test]
fn the_fields_other_rules_and_the_other_fields_still_apply_in_field_order() {
    let (client, _) = client(true);
    let mut request = payout("");
    request.mobile = "12345".to_owned();
    request.amount = vexora::types::Amount::new(99);
    assert_eq!(
        violations(client.prepare(&request)),
        [
            ("amount".to_owned(), "min_amount".to_owned()),
            ("bankCode".to_owned(), "required".to_owned()),
            ("mobile".to_owned(), "pattern".to_owned()),
        ]
    );
    let mut refused = payout("1");
    refused.mobile = "12345".to_owned();
    assert_eq!(
        violations(client.prepare(&refused)),
        [("bankCode".to_owned(), CONFIGURED.to_owned()), ("mobile".to_owned(), "pattern".to_owned())]
    );
}

#[test]
fn a_rule_must_name_a_patterned_field_of_a_known_endpoint() {
    let build = |spec, field| {
        sandbox_config("https://gateway.example/taiwan").field_rule(spec, field, "anything", |_| true).build()
    };
    let reason = |spec, field| match build(spec, field) {
        Err(ConfigError::Invalid { field: "field_rule", reason }) => reason,
        other => panic!("expected a field_rule error, got {other:?}"),
    };
    assert!(reason("taiwan/payouts", "bankCode").starts_with("names no endpoint of this SDK"));
    assert!(reason("taiwan/payout", "bank_code").starts_with("names no request field of that endpoint"));
    assert!(reason("taiwan/payout", "name").starts_with("names a field without a documented pattern"));
    assert!(build("taiwan/payout", "bankCode").is_ok());
}

/// The sandbox side: judged by the documented pattern unless told the
/// merchant's (`SandboxConfig::field_pattern`, `--field-pattern`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_takes_the_merchants_pattern_when_told() {
    use vexora_sandbox::{Sandbox, SandboxConfig, TEST_MERCHANT_NO};
    let opening = || SandboxConfig::default().opening_balance(TEST_MERCHANT_NO, 1_000);
    let send = |sandbox: &vexora_sandbox::RunningSandbox| {
        let config = sandbox_config(sandbox.base_url("taiwan"))
            .field_rule("taiwan/payout", "bankCode", "3 or 4 digits", three_or_four_digits)
            .build()
            .expect("valid");
        let client = Client::new(config);
        let mut request = payout("0041");
        request.trade_no = TradeNo::generate();
        async move { client.send(&request).await }
    };

    let documented = Sandbox::start(opening()).await.expect("starts");
    match send(&documented).await {
        Err(Error::Refused { code, msg }) => {
            assert_eq!(code, "9004");
            assert!(msg.starts_with("bankCode:"), "{msg}");
        }
        other => panic!("the documented pattern refuses 0041: {other:?}"),
    }

    let told =
        Sandbox::start(opening().field_pattern("taiwan/payout", "bankCode", r"^\d{3,4}$")).await.expect("starts");
    send(&told).await.expect("accepted by the merchant's pattern");
}

#[tokio::test]
async fn the_sandbox_refuses_a_pattern_it_cannot_place() {
    use vexora_sandbox::{Sandbox, SandboxConfig};
    for (spec, field, needle) in [
        ("taiwan/payouts", "bankCode", "no such endpoint"),
        ("taiwan/payout", "bank_code", "no request field bank_code"),
        ("taiwan/payout", "name", "name has no documented pattern to replace"),
    ] {
        let error =
            Sandbox::start(SandboxConfig::default().field_pattern(spec, field, "^x$")).await.expect_err("refused");
        assert!(error.to_string().contains(needle), "{error}");
    }
}

//! What the payer does next, read from a create's answer through the
//! client: a card deposit that needs verification answers `paymentInfo`,
//! and the SDK says where to send the payer.

use futures_lite::future::block_on;
use vexora::card::DepositRequest;
use vexora::data::PaymentStep;
use vexora::types::{DecimalAmount, TradeNo};
use vexora_tests::recording_client;

#[test]
fn a_card_deposit_that_needs_verification_names_the_page() {
    let (client, transport) = recording_client("card");
    transport.reply(
        200,
        r#"{"code":"0000","msg":"success","success":true,"timestamp":1724142041682,
            "data":{"tradeNo":"CARD-1","platFormTradeNo":"c167o1itir0fypid","status":"0015",
                    "paymentInfo":"https://3ds.example/verify/0ae849a1"}}"#,
    );
    let deposit = DepositRequest::builder()
        .trade_no(TradeNo::new("CARD-1"))
        .amount(DecimalAmount::from_minor_units(1_000_000))
        .mobile("819012345678")
        .email("payer@example.com")
        .user_id("jcb-user-1")
        .currency("JPY")
        .name("TARO YAMADA")
        .card_data("ENCRYPTED-AS-AGREED")
        .notify_url("https://merchant.example/vexora/notify")
        .build();
    let data = block_on(client.send(&deposit)).expect("accepted");
    assert_eq!(data.next_step(), PaymentStep::Verify("https://3ds.example/verify/0ae849a1"));
    let sent = String::from_utf8_lossy(&transport.requests()[0].body).into_owned();
    assert!(sent.contains(r#""cardData":"ENCRYPTED-AS-AGREED""#), "{sent}");
    assert!(sent.contains(r#""amount":"10000""#), "{sent}");
}

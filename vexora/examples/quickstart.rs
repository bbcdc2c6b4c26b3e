//! Creates a Taiwan checkout offline: the request is validated, stamped,
//! signed and written exactly as it would go to the gateway, then handed to a
//! scripted transport that answers like the provider's documented example.
//!
//! Run it with `cargo run -p vexora --example quickstart`.

use futures_lite::future::block_on;
use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
use vexora::transport::RecordingTransport;
use vexora::types::{Amount, TradeNo};
use vexora::{Client, Config, Validate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::builder()
        .merchant_no("0000000001")
        .app_secret("test-app-secret-123")
        .base_url("https://gateway.example/taiwan")
        .build()?;
    let trade_no = TradeNo::generate();
    let transport = RecordingTransport::new();
    // The answer names the order asked for: the client refuses one about another.
    transport.reply(
        200,
        format!(
            r#"{{"msg":"success","code":"0000","timestamp":1728609277476,"success":true,
            "data":{{"tradeNo":"{trade_no}","platFormTradeNo":"c167o1itir0fypid","status":"0015","desc":"Paying",
            "paymentUrl":"https://cashier.example/c167o1itir0fypid"}}}}"#
        ),
    );
    let client = Client::with_transport(config, transport.clone());

    // `build` compiles once every required field is set; the rules, and
    // fields required only for some channels (`postcode` for STORE, left out
    // here), are checked by validation.
    let mut request = CheckoutRequest::builder()
        .trade_no(trade_no)
        .amount(Amount::new(300))
        .mobile("912345678") // missing the leading 0: refused before sending
        .firstname("Mei")
        .lastname("Lin")
        .email("mei.lin@example.com")
        .channel_code(ChannelCode::Store)
        .way_code(WayCode::SEVEN_ELEVEN)
        .ip_address("203.0.113.7")
        .address("No. 1, Shifu Rd., Xinyi Dist., Taipei")
        .notify_url("https://merchant.example/vexora/notify")
        .return_url("https://merchant.example/done")
        .remark("order 42")
        .build();

    println!("1. validation, before anything is sent:");
    if let Err(errors) = request.validate() {
        for violation in errors.violations() {
            println!("   {violation}");
        }
    }

    request.mobile = "0912345678".into();
    request.postcode = Some("110".into());
    let order = block_on(client.send(&request))?;

    let sent = &transport.requests()[0];
    println!("\n2. the exact request:\n   {} {}", sent.method, sent.url);
    for (name, value) in sent.headers.iter() {
        println!("   {name}: {value}");
    }
    println!("   {}", String::from_utf8_lossy(&sent.body));
    println!(
        "\n3. the typed answer: status {} ({:?}), pay at {}",
        order.status,
        order.desc,
        order.payment_url().unwrap_or("-")
    );
    Ok(())
}

//! The cashier page in a real headless browser: Debian's Chromium driven
//! through chromedriver's WebDriver protocol. Open the payment link, click
//! "pay in full", land on `returnUrl`, and receive a notification the SDK
//! verifies.
//!
//! `.ci/run` installs `chromium` and `chromium-driver` when they are missing.
//! Outside CI, a machine without them skips this test with a notice; under
//! `CI=true` a missing browser is a failure, so CI can never skip it.

use std::time::{Duration, Instant};

use serde_json::Value;
use vexora::notification;
use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
use vexora::types::{Amount, TradeNo, TradeStatus};
use vexora::{AppSecret, Client};
use vexora_sandbox::{Sandbox, SandboxConfig};
use vexora_tests::sandbox_config;

use crate::browser_support::{Browser, browser_available};
use crate::sandbox_support::{Receiver, SECRET};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paying_on_the_cashier_page_redirects_and_notifies() {
    if !browser_available() {
        return;
    }
    let sandbox = Sandbox::spawn(SandboxConfig::default().time_scale(0.001)).expect("sandbox");
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let config = sandbox_config(sandbox.base_url("taiwan")).build().expect("configuration");
    let client = Client::new(config);
    // Any page of the sandbox's own will do as the shop's return page.
    let return_url = format!("{}/sandbox/stats", sandbox.url());
    let request = CheckoutRequest::builder()
        .trade_no(TradeNo::generate())
        .amount(Amount::new(1200))
        .mobile("0912345678")
        .firstname("Mei")
        .lastname("Lin")
        .email("mei.lin@example.com")
        .channel_code(ChannelCode::Store)
        .way_code(WayCode::SEVEN_ELEVEN)
        .ip_address("198.51.100.20")
        .postcode("110")
        .address("No. 1, Shifu Rd., Taipei")
        .notify_url(receiver.url("/notify"))
        .return_url(return_url.clone())
        .build();
    let order = client.send(&request).await.expect("accepted");
    let link = order.payment_url().expect("a payment link").to_owned();

    let browser = Browser::start().await;
    browser.open(&link).await;
    let page = browser.session_call("GET", "/source", Value::Null).await;
    let page = page.as_str().unwrap_or_default();
    assert!(page.contains("1200"), "the page shows the amount");
    assert!(page.contains(request.trade_no.as_str()), "the page shows the tradeNo");
    assert_eq!(browser.text_of("#plat-form-trade-no").await, order.plat_form_trade_no);

    browser.click("#pay-full").await;
    let started = Instant::now();
    while browser.current_url().await != return_url {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no redirect to returnUrl: at {}",
            browser.current_url().await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let received = receiver.wait_for(1).await;
    let verified = notification::verify(&received[0].raw, &AppSecret::new(SECRET)).expect("signed by the gateway");
    assert_eq!(verified.trade_no, request.trade_no);
    assert_eq!(verified.status, TradeStatus::Success);
    assert!(verified.amount.expect("an amount").eq_units(1200));
    browser.session_call("DELETE", "", Value::Null).await;
}

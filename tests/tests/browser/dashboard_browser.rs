//! The sandbox's dashboard in a real headless browser (the cashier test's
//! Chromium and chromedriver, `browser_support`): an order made with the
//! SDK is found with the search box, paid with its button, its rejected
//! notification is resent with its button, and the new attempt shows the
//! merchant's answer. The page is then photographed into
//! `target/dashboard.png`; with `VEXORA_UPDATE_SCREENSHOT=1` the picture
//! also replaces `docs/dashboard.png`, the README's.
//!
//! Skipped with a notice outside CI when the browser is missing; a failure
//! under `CI=true`.

use std::path::Path;

use vexora::Client;
use vexora::taiwan::{ChannelCode, CheckoutRequest, PayoutRequest, WayCode};
use vexora::types::{Amount, TradeNo};
use vexora_sandbox::{DeliveryTrigger, Sandbox, SandboxConfig, SandboxHandle, TEST_MERCHANT_NO};
use vexora_tests::sandbox_config;

use crate::browser_support::{Browser, browser_available, target_dir};
use crate::sandbox_support::Receiver;

/// The window the screenshot is taken in.
const WINDOW: (u32, u32) = (1280, 1160);

fn checkout(trade_no: &str, amount: u64, channel: ChannelCode, way: WayCode, notify_url: String) -> CheckoutRequest {
    CheckoutRequest::builder()
        .trade_no(TradeNo::new(trade_no))
        .amount(Amount::new(amount))
        .mobile("0912345678")
        .firstname("Mei")
        .lastname("Lin")
        .email("mei.lin@example.com")
        .channel_code(channel)
        .way_code(way)
        .ip_address("198.51.100.30")
        .postcode("110")
        .address("No. 1, Shifu Rd., Taipei")
        .notify_url(notify_url)
        .return_url("http://127.0.0.1:9/thanks")
        .remark("browser test")
        .build()
}

/// A control route, as a script calls it.
async fn control(sandbox: &SandboxHandle, route: &str) {
    let response = surf::post(format!("{}/sandbox/{route}", sandbox.url()))
        .header("merchantNo", TEST_MERCHANT_NO)
        .await
        .expect("the sandbox answers");
    assert!(response.status().is_success(), "{route}: {}", response.status());
}

/// Some history around the order under test, so the page (and its
/// picture) shows what a merchant would see: a partial payment, a payout
/// paid out, an order still waiting for its payer.
async fn history(client: &Client, sandbox: &SandboxHandle, notify_url: &str) {
    let mut partial = checkout("SHOP-1001", 1500, ChannelCode::NetBanking, WayCode::BANK_TRANSFER, notify_url.into());
    partial.bank_number = Some("808-0368988888888".into());
    client.send(&partial).await.expect("ok");
    control(sandbox, "orders/SHOP-1001/partial").await;
    let payout = PayoutRequest::builder()
        .trade_no(TradeNo::new("PAYOUT-2001"))
        .amount(Amount::new(800))
        .bank_code("004")
        .bank_number("3560123456789012")
        .mobile("0987654321")
        .email("supplier@example.com")
        .name("Chen Wei")
        .notify_url(notify_url)
        .remark("supplier invoice 17")
        .build();
    client.send(&payout).await.expect("accepted");
    control(sandbox, "payouts/PAYOUT-2001/pay").await;
    let waiting = checkout("SHOP-1002", 450, ChannelCode::Ewallet, WayCode::new("LINE_PAY"), notify_url.into());
    client.send(&waiting).await.expect("accepted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_pay_and_resend_on_the_dashboard() {
    if !browser_available() {
        return;
    }
    // Retries 100 times slower than the gateway's: the first comes in 200 s,
    // so every attempt on the page is one the test made.
    let config = SandboxConfig::default().time_scale(100.0).opening_balance(TEST_MERCHANT_NO, 5_000);
    let sandbox = Sandbox::spawn(config).expect("sandbox");
    let quiet = Receiver::start(&[(200, "OK")]).await;
    let merchant = Receiver::start(&[(503, "Service Unavailable: deploying, try later"), (200, "OK")]).await;
    let client = Client::new(sandbox_config(sandbox.base_url("taiwan")).build().expect("configuration"));
    history(&client, &sandbox, &quiet.url("/vexora/notify")).await;
    let request =
        checkout("SHOP-1003", 1200, ChannelCode::Store, WayCode::SEVEN_ELEVEN, merchant.url("/vexora/notify"));
    let order = client.send(&request).await.expect("accepted");
    let id = order.plat_form_trade_no.clone();
    let row = format!("#row-{id}");

    let browser = Browser::start().await;
    browser.resize(WINDOW.0, WINDOW.1).await;
    browser.open(&sandbox.dashboard_url()).await;
    assert_eq!(browser.find_all("article.item").await.len(), 4, "every order and payout");

    // Find it.
    browser.type_into("#search", "shop-1003").await;
    browser.click("#apply-filters").await;
    browser.wait_until("the search", || async { browser.current_url().await.contains("?q=shop-1003") }).await;
    assert_eq!(browser.find_all("article.item").await.len(), 1);
    assert_eq!(browser.text_of(&format!("{row} .trade-no")).await, "SHOP-1003");
    assert_eq!(browser.text_of(&format!("{row} .plat-form-trade-no")).await, id);

    // Pay it: the merchant's server rejects the first notification.
    browser.click(&format!("#pay-{id}")).await;
    browser
        .wait_until("the first attempt", || async {
            browser.open(&format!("{}?q=shop-1003", sandbox.dashboard_url())).await;
            browser.find_all(&format!("{row} tr.attempt")).await.len() == 1
        })
        .await;
    let first = browser.text_of(&format!("{row} tr.attempt .answer")).await;
    assert!(first.contains("HTTP 503") && first.contains("deploying, try later"), "{first}");
    assert!(browser.text_of(&format!("{row} .notice-line")).await.contains("next retry due"));

    // Resend: the same body again, now answered OK.
    browser.click(&format!("#resend-{id}")).await;
    browser
        .wait_until("the resent attempt", || async { browser.find_all(&format!("{row} tr.attempt")).await.len() == 2 })
        .await;
    assert!(browser.current_url().await.ends_with("/sandbox?q=shop-1003"), "back on the searched page");
    let resent = browser.text_of(&format!("{row} tr.attempt:nth-child(2)")).await;
    assert!(resent.to_lowercase().contains("resend") && resent.contains("HTTP 200"), "{resent}");
    assert_eq!(browser.text_of(&format!("{row} tr.attempt:nth-child(2) .answer-body")).await, "OK");
    assert!(browser.text_of(&format!("{row} .notice-line")).await.contains("acknowledged"));
    let received = merchant.wait_for(2).await;
    assert_eq!(received[1].raw, received[0].raw, "the exact signed body again");
    assert_eq!(sandbox.deliveries().iter().filter(|d| d.trigger == DeliveryTrigger::Resend).count(), 1);

    // The whole page, for people.
    browser.open(&sandbox.dashboard_url()).await;
    let png = browser.screenshot().await;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let picture = target_dir().join("dashboard.png");
    std::fs::create_dir_all(target_dir()).expect("target/");
    std::fs::write(&picture, &png).expect("written");
    eprintln!("screenshot: {}", picture.display());
    if std::env::var_os("VEXORA_UPDATE_SCREENSHOT").is_some_and(|value| value == "1") {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/dashboard.png");
        std::fs::copy(&picture, &docs).expect("copied to docs/");
        eprintln!("updated {}", docs.display());
    }
    browser.session_call("DELETE", "", serde_json::Value::Null).await;
}

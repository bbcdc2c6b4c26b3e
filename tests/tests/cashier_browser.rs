//! The cashier page in a real headless browser: Debian's Chromium driven
//! through chromedriver's WebDriver protocol. Open the payment link, click
//! "pay in full", land on `returnUrl`, and receive a notification the SDK
//! verifies.
//!
//! `.ci/run` installs `chromium` and `chromium-driver` when they are missing.
//! Outside CI, a machine without them skips this test with a notice; under
//! `CI=true` a missing browser is a failure, so CI can never skip it.

mod sandbox_support;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sandbox_support::{Receiver, SECRET};
use serde_json::{json, Value};
use vexora::notification;
use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
use vexora::types::{Amount, TradeNo, TradeStatus};
use vexora::{AppSecret, Client};
use vexora_sandbox::{Sandbox, SandboxConfig};
use vexora_tests::sandbox_config;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A WebDriver session over chromedriver's HTTP API (a handful of calls, so
/// no client library).
struct Browser {
    driver: Child,
    endpoint: String,
    session: String,
    _profile: TempDir,
}

impl Browser {
    async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let endpoint = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while surf::get(format!("{endpoint}/status")).await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = TempDir::new();
        // The flags Chromium needs as root, headless, on a machine without
        // internet access (no background connections to fail).
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            &format!("--user-data-dir={}", profile.0.display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args}
        }}});
        let mut browser = Self { driver, endpoint, session: String::new(), _profile: profile };
        let created = browser.call("POST", "/session", capabilities).await;
        browser.session = created["sessionId"].as_str().expect("a session id").to_owned();
        browser
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.endpoint);
        let request = match method {
            "GET" => surf::get(url),
            "DELETE" => surf::delete(url),
            _ => surf::post(url).body_json(&body).expect("JSON body"),
        };
        let mut response = request.await.expect("chromedriver answers");
        let reply: Value = response.body_json().await.expect("a JSON reply");
        assert!(response.status().is_success(), "WebDriver {method} {path}: {reply}");
        reply["value"].clone()
    }

    async fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body).await
    }

    async fn open(&self, url: &str) {
        self.session_call("POST", "/url", json!({ "url": url })).await;
    }

    async fn text_of(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.session_call("GET", &format!("/element/{element}/text"), Value::Null).await.as_str().unwrap_or("").into()
    }

    async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.session_call("POST", &format!("/element/{element}/click"), json!({})).await;
    }

    async fn find(&self, css: &str) -> String {
        let found = self.session_call("POST", "/element", json!({"using": "css selector", "value": css})).await;
        // W3C WebDriver names the element reference with this fixed key.
        found["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned()
    }

    async fn current_url(&self) -> String {
        self.session_call("GET", "/url", Value::Null).await.as_str().unwrap_or("").to_owned()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending chromedriver ends its browser.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A fresh browser profile folder, removed afterwards.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let path = std::env::temp_dir().join(format!("vexora-browser-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("profile folder");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn browser_available() -> bool {
    let present = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: install chromium and chromium-driver (.ci/run does)"
        );
        eprintln!("SKIPPED: {CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium chromium-driver)");
    }
    present
}

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
    let request = CheckoutRequest {
        trade_no: TradeNo::generate(),
        amount: Amount::new(1200),
        mobile: "0912345678".into(),
        firstname: "Mei".into(),
        lastname: "Lin".into(),
        email: "mei.lin@example.com".into(),
        channel_code: ChannelCode::Store,
        way_code: WayCode::SEVEN_ELEVEN,
        ip_address: "198.51.100.20".into(),
        postcode: Some("110".into()),
        address: Some("No. 1, Shifu Rd., Taipei".into()),
        bank_number: None,
        notify_url: receiver.url("/notify").into(),
        return_url: return_url.clone().into(),
        remark: None,
    };
    let order = client.checkout(&request).await.expect("accepted");
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

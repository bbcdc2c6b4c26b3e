//! A real headless browser for the page tests: Debian's Chromium driven
//! through chromedriver's WebDriver HTTP API with surf (a handful of calls,
//! so no WebDriver library), and the rule for when it is missing.
// Each browser test uses a different part.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A WebDriver session over chromedriver's HTTP API.
pub struct Browser {
    driver: Child,
    endpoint: String,
    session: String,
    _profile: TempDir,
}

impl Browser {
    pub async fn start() -> Self {
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

    pub async fn call(&self, method: &str, path: &str, body: Value) -> Value {
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

    pub async fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body).await
    }

    pub async fn open(&self, url: &str) {
        self.session_call("POST", "/url", json!({ "url": url })).await;
    }

    pub async fn text_of(&self, css: &str) -> String {
        let element = self.find(css).await;
        self.session_call("GET", &format!("/element/{element}/text"), Value::Null).await.as_str().unwrap_or("").into()
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        self.session_call("POST", &format!("/element/{element}/click"), json!({})).await;
    }

    pub async fn find(&self, css: &str) -> String {
        let found = self.session_call("POST", "/element", json!({"using": "css selector", "value": css})).await;
        found[ELEMENT_KEY].as_str().unwrap_or_else(|| panic!("no element {css}: {found}")).to_owned()
    }

    pub async fn current_url(&self) -> String {
        self.session_call("GET", "/url", Value::Null).await.as_str().unwrap_or("").to_owned()
    }
    /// The current page's HTML, as the browser holds it.
    pub async fn source(&self) -> String {
        self.session_call("GET", "/source", Value::Null).await.as_str().unwrap_or_default().to_owned()
    }

    /// Every element matching `css`, as WebDriver references.
    pub async fn find_all(&self, css: &str) -> Vec<String> {
        let found = self.session_call("POST", "/elements", json!({"using": "css selector", "value": css})).await;
        found
            .as_array()
            .map(|elements| {
                elements.iter().filter_map(|element| element[ELEMENT_KEY].as_str().map(str::to_owned)).collect()
            })
            .unwrap_or_default()
    }

    /// Types `text` into the field `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.session_call("POST", &format!("/element/{element}/value"), json!({ "text": text })).await;
    }

    /// Sets the window's size, so screenshots are the same on every machine.
    pub async fn resize(&self, width: u32, height: u32) {
        self.session_call("POST", "/window/rect", json!({ "width": width, "height": height })).await;
    }

    /// A PNG of the window's viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        let encoded = self.session_call("GET", "/screenshot", Value::Null).await;
        let encoded = encoded.as_str().expect("a base64 screenshot");
        base64::engine::general_purpose::STANDARD.decode(encoded).expect("standard base64")
    }

    /// Waits until `check` holds (polling every 50 ms, 20 s at most, as
    /// long as chromedriver may take to start on a loaded machine); a
    /// timeout names the page the browser was on.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        while !check().await {
            if started.elapsed() > Duration::from_secs(20) {
                panic!("gave up waiting: {what}, on {}", self.current_url().await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// W3C WebDriver names an element reference with this fixed key.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Where the workspace's build output goes (`CARGO_TARGET_DIR`, else `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
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
        // The browser tests run side by side in one process: each its own folder.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let path = std::env::temp_dir().join(format!("vexora-browser-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).expect("profile folder");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether the browser is installed. Outside CI a missing one skips the
/// test with a notice; under `CI=true` it is a failure, so CI never skips.
pub fn browser_available() -> bool {
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

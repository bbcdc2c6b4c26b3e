//! The sandbox's dashboard and its actions over HTTP: the page and its
//! headers, escaping of what merchants send, resending a notification
//! byte for byte (orders and payouts, as a script and as a form), and the
//! clock advance that fires due retries and settles T+1.

use std::time::Duration;

use serde_json::{Value, json};
use vexora_sandbox::{DeliveryOutcome, DeliveryTrigger, NotifiedKind, RETRY_LADDER, SandboxConfig};

use crate::sandbox_support::{
    BALANCE, MERCHANT, Receiver, call, checkout, checkout_fields, eventually, get, http, now_ms, post_json, sandbox,
    sandbox_with,
};

const PAYOUT: &str = "/taiwan/v1/vexora/disbursements";
/// Markup, script and an entity: what a hostile merchant or payer may send.
const HOSTILE: &str = r#"<script>alert(1)</script>"><img src=x onerror=alert(1)>&amp;'"#;
const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

fn payout_fields(trade_no: &str, notify_url: &str) -> Value {
    json!({
        "tradeNo": trade_no, "amount": "100", "bankCode": "004", "bankNumber": "3560123456789012",
        "mobile": "0912345678", "email": "payee@example.com", "name": "Lin Mei", "notifyUrl": notify_url
    })
}

#[tokio::test]
async fn the_page_is_html_that_runs_no_script_and_is_in_the_banner() {
    let sandbox = sandbox().await;
    assert!(sandbox.banner().contains(&format!("dashboard: {}/sandbox", sandbox.url())), "{}", sandbox.banner());
    assert_eq!(sandbox.dashboard_url(), format!("{}/sandbox", sandbox.url()));

    let page = get(sandbox.addr(), "/sandbox").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"), "no script from anywhere: {csp}");
    assert!(!page.body.contains("<script"), "the page has no script of its own");
    assert!(page.body.contains("No orders or payouts yet"), "{}", page.body);
    assert!(page.body.contains(r#"<link rel="stylesheet" href="/sandbox/dashboard.css">"#));
    let css = get(sandbox.addr(), "/sandbox/dashboard.css").await;
    assert_eq!((css.status, css.header("content-type")), (200, Some("text/css; charset=utf-8")));
}

#[tokio::test]
async fn what_merchants_and_payers_send_is_shown_only_escaped() {
    let sandbox = sandbox().await;
    // The merchant's answer, the remark and the notifyUrl's query are free text.
    let receiver = Receiver::start(&[(200, HOSTILE)]).await;
    let notify_url = receiver.url("/n?x=&amp;'");
    let mut fields = checkout_fields("ESCAPE-1", "203.0.113.60", &notify_url);
    fields["remark"] = json!(HOSTILE);
    checkout(sandbox.addr(), fields).await;
    http(sandbox.addr(), "POST", "/sandbox/orders/ESCAPE-1/fail", &[], b"").await;
    receiver.wait_for(1).await;

    let page = get(sandbox.addr(), "/sandbox?q=ESCAPE-1").await.body;
    for raw in ["<script", "<img", "&amp;'", "\"><img"] {
        assert!(!page.contains(raw), "{raw:?} appears unescaped in:\n{page}");
    }
    // Every attribute of the page is double-quoted, so `'` is left as it is.
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;'";
    // The remark, the merchant's answer, and the remark inside the signed body.
    assert!(page.matches(escaped).count() >= 2, "{page}");
    assert!(page.contains("x=&amp;amp;'"), "the notifyUrl, escaped");
    assert!(!page.contains("='"), "no attribute is single-quoted");
    assert!(page.contains(r#"\&quot;&gt;&lt;img"#), "the signed body, escaped as it was sent");
}

#[tokio::test]
async fn a_resend_sends_the_same_bytes_and_is_an_attempt_like_any_other() {
    let sandbox = sandbox().await;
    let receiver = Receiver::start(&[(200, "OK"), (200, "OK, again")]).await;
    checkout(sandbox.addr(), checkout_fields("RESEND-1", "203.0.113.61", &receiver.url("/n"))).await;

    let early = http(sandbox.addr(), "POST", "/sandbox/orders/RESEND-1/resend", &[], b"").await;
    assert_eq!(early.status, 409, "nothing was sent yet: {}", early.body);
    assert!(early.json()["error"].as_str().unwrap_or_default().contains("no notification to resend yet"));

    http(sandbox.addr(), "POST", "/sandbox/orders/RESEND-1/pay", &[], b"").await;
    receiver.wait_for(1).await;
    let resent = http(sandbox.addr(), "POST", "/sandbox/orders/RESEND-1/resend", &[], b"").await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    let attempt = resent.json();
    assert_eq!(attempt["attempt"], 2);
    assert_eq!(attempt["trigger"], "resend");
    assert_eq!(attempt["responseStatus"], 200);
    assert_eq!(attempt["responseBody"], "OK, again");
    assert_eq!(attempt["outcome"], "rejected");
    assert!(attempt["durationMs"].is_u64());

    let received = receiver.wait_for(2).await;
    assert_eq!(received[1].raw, received[0].raw, "the exact signed body again");
    let log = sandbox.deliveries();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].body.as_bytes(), received[1].raw.as_slice());
    assert_eq!((log[0].trigger, log[1].trigger), (DeliveryTrigger::Ladder, DeliveryTrigger::Resend));
    assert!(log.iter().all(|attempt| attempt.kind == NotifiedKind::Order));

    let page = get(sandbox.addr(), "/sandbox?q=resend-1").await.body;
    assert_eq!(page.matches(r#"<tr class="attempt">"#).count(), 2, "{page}");
    assert!(page.contains("OK, again"));
}

#[tokio::test]
async fn payouts_are_decided_and_resent_from_the_page_and_by_script() {
    let sandbox = sandbox_with(SandboxConfig::default().time_scale(0.001).opening_balance(MERCHANT, 1_000)).await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let envelope = call(sandbox.addr(), PAYOUT, payout_fields("OUT-1", &receiver.url("/payout"))).await;
    assert_eq!(envelope["code"], "0000", "{envelope}");

    let page = get(sandbox.addr(), "/sandbox?kind=payout").await.body;
    assert!(page.contains(r#"data-trade-no="OUT-1""#) && page.contains(r#"action="/sandbox/payouts/OUT-1/pay""#));
    assert!(page.contains("<td class=\"num\">900.00</td><td class=\"num\">0.00</td><td class=\"num\">100.00</td>"));

    // The page's "Pay out" button: a form, answered with a redirect back to the filtered page.
    let origin = format!("http://{}", sandbox.addr());
    let host = sandbox.addr().to_string();
    let headers = [FORM, ("Origin", origin.as_str()), ("Host", host.as_str())];
    let form = b"merchant_no=0000000001&back=kind%3Dpayout";
    let pressed = http(sandbox.addr(), "POST", "/sandbox/payouts/OUT-1/pay", &headers, form).await;
    assert_eq!((pressed.status, pressed.header("location")), (303, Some("/sandbox?kind=payout")), "{}", pressed.body);
    receiver.wait_for(1).await;

    // Pressed again: the page explains, escaped, with a way back.
    let again = http(sandbox.addr(), "POST", "/sandbox/payouts/OUT-1/fail", &headers, form).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("already finished") && again.body.contains(r#"href="/sandbox?kind=payout""#));
    // From another site: refused.
    let elsewhere = [FORM, ("Origin", "http://attacker.example"), ("Host", host.as_str())];
    assert_eq!(http(sandbox.addr(), "POST", "/sandbox/payouts/OUT-1/resend", &elsewhere, form).await.status, 403);

    // Payout numbers are per merchant: a script names it, as for pay and fail.
    let anonymous = http(sandbox.addr(), "POST", "/sandbox/payouts/OUT-1/resend", &[], b"").await;
    assert_eq!(anonymous.status, 400);
    let resent = post_json(sandbox.addr(), "/sandbox/payouts/OUT-1/resend", Some(MERCHANT), "").await;
    assert_eq!(resent.status, 200, "{}", resent.body);
    assert_eq!(
        (resent.json()["kind"].as_str(), resent.json()["outcome"].as_str()),
        (Some("payout"), Some("acknowledged"))
    );
    let received = receiver.wait_for(2).await;
    assert_eq!(received[1].raw, received[0].raw);
    assert_eq!(http(sandbox.addr(), "POST", "/sandbox/payouts/OUT-1/refund", &[], b"").await.status, 404);
}

#[tokio::test]
async fn advancing_the_clock_fires_due_retries_and_settles_collections() {
    // Real time: without the advance, the fifth retry would come in an hour.
    let sandbox = sandbox_with(SandboxConfig::default()).await;
    let receiver = Receiver::start(&[(503, "busy")]).await;
    checkout(sandbox.addr(), checkout_fields("CLOCK-1", "203.0.113.62", &receiver.url("/n"))).await;
    http(sandbox.addr(), "POST", "/sandbox/orders/CLOCK-1/pay", &[], b"").await;
    // Paid today: unsettled. Asked at once, so the local day cannot have
    // turned (the hour's advance below may cross midnight, local time).
    let balance = |offset_ms: i64| {
        let fields = json!({ "timestamp": (now_ms() + offset_ms).to_string() });
        call(sandbox.addr(), BALANCE, fields)
    };
    assert_eq!(balance(0).await["data"]["availableAmount"], "0.0000");
    let first = eventually(|| sandbox.deliveries().first().cloned()).await;
    assert_eq!(first.outcome, DeliveryOutcome::Rejected);

    // 2 + 5 + 10 + 30 + 3600 s: five retries come due.
    let advanced = post_json(sandbox.addr(), "/sandbox/clock/advance", None, r#"{"seconds": 3660}"#).await;
    assert_eq!(advanced.status, 200, "{}", advanced.body);
    assert_eq!(advanced.json()["offsetMs"], 3_660_000);
    let log = eventually(|| Some(sandbox.deliveries()).filter(|log| log.len() >= 6)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sandbox.deliveries().len(), 6, "the next retry is 3 h after the fifth");
    assert_eq!(receiver.received().len(), 6);
    // Each retry is due one ladder step after the one before, on the sandbox clock.
    for pair in log.windows(2) {
        let step = pair[1].next_attempt_at_ms.expect("a next retry") - pair[0].next_attempt_at_ms.expect("a retry");
        let ladder_ms = i64::try_from(RETRY_LADDER[usize::try_from(pair[1].attempt).expect("small") - 1].as_millis());
        assert_eq!(Ok(step), ladder_ms, "attempt {}", pair[1].attempt);
    }
    let page = get(sandbox.addr(), "/sandbox?q=CLOCK-1").await.body;
    assert!(page.contains("6 attempts; next retry due"), "{page}");
    assert!(page.contains("1 h 1 min ahead of the system clock"), "{page}");

    // A day later on the sandbox clock: available.
    let form = [FORM];
    let pressed = http(sandbox.addr(), "POST", "/sandbox/clock/advance", &form, b"seconds=86400&back=").await;
    assert_eq!((pressed.status, pressed.header("location")), (303, Some("/sandbox")));
    let settled = balance(3_660_000 + 86_400_000).await;
    assert_eq!(settled["data"]["availableAmount"], "300.0000", "{settled}");
    let clock = get(sandbox.addr(), "/sandbox/clock").await.json();
    assert_eq!(clock["offsetMs"], 3_660_000 + 86_400_000);

    for bad in [r#"{"seconds": -1}"#, r#"{"seconds": "soon"}"#, "{}", r#"{"seconds": 1e12}"#] {
        let refused = post_json(sandbox.addr(), "/sandbox/clock/advance", None, bad).await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.body);
    }
}

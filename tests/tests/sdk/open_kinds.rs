//! A kind of endpoint no code names, end to end through the SDK: the test
//! region's refund (`tests/spec/testland/refund.toml`: money back, keyed
//! by `tradeNo` and `refundNo`) and its read of both keys, derived from
//! their spec files and served by the sandbox from the same files. On both
//! backends: created, refused as a duplicate, found by both keys after an
//! unknown outcome, finished, notified signed, and read again.

use std::path::PathBuf;

use vexora::client::Reconciliation;
use vexora::endpoint::{ByKeys, Endpoint};
use vexora::notification::{ExtraValue, Verifier};
use vexora::resolve::Resolution;
use vexora::types::{DecimalAmount, TradeNo, TradeStatus};
use vexora::{AppSecret, Client, Config, Error, RecordKeys};
use vexora_sandbox::{RunningSandbox, SandboxConfig};
use vexora_tests::testland::{RefundQueryRequest, RefundRequest};

use crate::backends::Backend;
use crate::sandbox_support::{MERCHANT, Receiver, SECRET, post_json, sandbox_with};

on_every_backend!(a_refund_is_made_found_by_both_keys_finished_and_notified);

const REFUND: &str = "/testland/v1/vexora/refund";

fn client<B: Backend>(sandbox: &RunningSandbox) -> Client<B::Transport> {
    let config = Config::builder()
        .merchant_no(MERCHANT)
        .app_secret(SECRET)
        .base_url(sandbox.base_url("testland"))
        .own_region("testland")
        .order_not_found_code("9008")
        .duplicate_trade_no_code("9005")
        .build()
        .expect("a valid configuration");
    Client::with_transport(config, B::transport())
}

fn refund(trade_no: &TradeNo, refund_no: &str, notify_url: String) -> RefundRequest {
    RefundRequest::builder()
        .trade_no(trade_no.clone())
        .refund_no(refund_no)
        .amount(DecimalAmount::parse("12.50").expect("an amount"))
        .notify_url(notify_url)
        .build()
}

async fn a_refund_is_made_found_by_both_keys_finished_and_notified<B: Backend>() {
    let spec_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("spec");
    let config = SandboxConfig::default().time_scale(0.001).spec_dir(spec_dir).opening_balance(MERCHANT, 1_000);
    let sandbox = sandbox_with(config).await;
    let receiver = Receiver::start(&[(200, "OK")]).await;
    let client = client::<B>(&sandbox);
    let order = TradeNo::generate();
    let first = refund(&order, "R1", receiver.url("/refunds"));

    // What the spec says, as the derive read it.
    assert_eq!(<RefundRequest as Endpoint>::KEYS, ["tradeNo", "refundNo"]);
    let keys = RecordKeys::of(&first);
    assert_eq!(keys.iter().collect::<Vec<_>>(), [("tradeNo", order.as_str()), ("refundNo", "R1")]);
    let read = RefundQueryRequest::by_keys(&keys);
    assert_eq!((read.trade_no.as_str(), read.refund_no.as_str()), (order.as_str(), "R1"));

    // Nothing made yet: the read of both keys finds nothing.
    assert_eq!(client.reconcile(&first).await.expect("the read answers"), Reconciliation::NotFound);

    let made = match client.create(&first).await.expect("sent") {
        Resolution::Created(made) => made,
        other => panic!("expected the refund made, got {other:?}"),
    };
    assert_eq!((made.trade_no.as_str(), made.refund_no.as_str()), (order.as_str(), "R1"));
    assert_eq!((made.status, made.amount.as_str()), (TradeStatus::Processing, "12.50"));

    // The same keys again: the gateway's duplicate refusal.
    match client.send(&first).await {
        Err(Error::Refused { code, .. }) => assert_eq!(code, "9005"),
        other => panic!("expected a duplicate refused, got {other:?}"),
    }
    // Found by both keys; the same order with another refund number is not it.
    match client.reconcile(&first).await.expect("the read answers") {
        Reconciliation::Found(found) => assert_eq!(found.plat_form_trade_no, made.plat_form_trade_no),
        other => panic!("expected the refund found, got {other:?}"),
    }
    let other_refund = refund(&order, "R9", receiver.url("/refunds"));
    assert_eq!(client.reconcile(&other_refund).await.expect("the read answers"), Reconciliation::NotFound);

    // An answer lost after the gateway made the refund: the error carries
    // both keys, and the read of both finds what was made.
    let second = refund(&order, "R2", receiver.url("/refunds"));
    let fault = format!(r#"{{"drop_connection": true, "path": "{REFUND}"}}"#);
    assert!(post_json(sandbox.addr(), "/sandbox/faults", None, &fault).await.status < 300);
    match client.send(&second).await {
        Err(Error::OutcomeUnknown { keys, .. }) => {
            assert_eq!(keys.to_string(), format!("tradeNo {order}, refundNo R2"));
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    let lost = match client.reconcile(&second).await.expect("the read answers") {
        Reconciliation::Found(found) => found,
        other => panic!("expected the refund made before the answer was lost, got {other:?}"),
    };
    assert_eq!((lost.refund_no.as_str(), lost.status), ("R2", TradeStatus::Processing));

    // Finished at the gateway: notified, signed with the merchant's secret.
    let path = format!("/sandbox/records/{}/success", made.plat_form_trade_no);
    let finished = post_json(sandbox.addr(), &path, None, "").await;
    assert_eq!(finished.status, 200, "{}", finished.body);
    let received = receiver.wait_for(1).await;
    let notified = Verifier::new(AppSecret::new(SECRET)).verify(&received[0].raw).expect("a genuine notification");
    assert_eq!((notified.trade_no.as_str(), notified.status), (order.as_str(), TradeStatus::Success));
    assert_eq!(notified.extra.get("refundNo"), Some(&ExtraValue::String("R1".to_owned())));
    assert_eq!(notified.amount.as_ref().map(|amount| amount.as_str()), Some("12.50"));
    match client.reconcile(&first).await.expect("the read answers") {
        Reconciliation::Found(found) => assert_eq!(found.status, TradeStatus::Success),
        other => panic!("expected the refund found, got {other:?}"),
    }
}

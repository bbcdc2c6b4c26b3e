//! Identity checks (KYC) end to end, on both backends: an Australia
//! application, its review decided through the sandbox's control route,
//! and the status query at every step; Japan's query by `userId`.

use vexora::australia::{KycApplicationRequest, KycStatusRequest};
use vexora::data::KycStatus;
use vexora::{Client, Error};
use vexora_sandbox::RunningSandbox;
use vexora_tests::sandbox_config;

use crate::backends::Backend;
use crate::sandbox_support::{get, http, post_json, sandbox};

fn client<B: Backend>(sandbox: &RunningSandbox, region: &str) -> Client<B::Transport> {
    Client::with_transport(sandbox_config(sandbox.base_url(region)).build().expect("valid"), B::transport())
}

async fn status<T: vexora::transport::Transport>(client: &Client<T>, kyc_number: &str) -> (KycStatus, Option<String>) {
    let result = client.send(&KycStatusRequest::builder().kyc_number(kyc_number).build()).await.expect("the status");
    (result.authentication_status, result.fail_reason)
}

async fn decide(sandbox: &RunningSandbox, kyc_number: &str, action: &str) -> u16 {
    post_json(sandbox.addr(), &format!("/sandbox/kyc/{kyc_number}/{action}"), None, "").await.status
}

async fn an_application_is_pending_then_reviewed_then_decided<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox, "australia");
    let application = KycApplicationRequest::builder()
        .user_id("jack001")
        .call_back_url("https://merchant.example/vexora/kyc")
        .build();

    let accepted = client.send(&application).await.expect("accepted");
    assert_eq!(accepted.authentication_status, KycStatus::Pending);
    assert_eq!(accepted.kyc_number.len(), 16, "{}", accepted.kyc_number);
    let resubmit = accepted.authentication_url.as_deref().expect("where to resubmit");
    assert_eq!(get(sandbox.addr(), resubmit.trim_start_matches(&sandbox.url())).await.json()["user_id"], "jack001");
    let number = accepted.kyc_number.as_str();
    assert_eq!(status(&client, number).await, (KycStatus::Pending, None));

    assert_eq!(decide(&sandbox, number, "review").await, 200);
    assert_eq!(status(&client, number).await, (KycStatus::UnderReview, None));
    assert_eq!(decide(&sandbox, number, "reject").await, 200);
    assert_eq!(status(&client, number).await, (KycStatus::Rejected, Some("Rejected in the sandbox".to_owned())));
    // A payer may resubmit documents: a rejected check can still be approved.
    assert_eq!(decide(&sandbox, number, "approve").await, 200);
    assert_eq!(status(&client, number).await, (KycStatus::Approved, None));
}

async fn an_unknown_kyc_number_is_refused<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox, "australia");
    match client.send(&KycStatusRequest::builder().kyc_number("nosuchapplicatio").build()).await {
        Err(Error::Refused { code, msg }) => {
            assert_eq!(code, "9008");
            assert!(msg.contains("kycNumber: no application nosuchapplicatio"), "{msg}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_japan_payer_who_never_applied_is_not_certified_yet<B: Backend>() {
    let sandbox = sandbox().await;
    let client = client::<B>(&sandbox, "japan");
    let query = vexora::japan::KycStatusRequest::builder().user_id("jp_user_100008").build();
    let result = client.send(&query).await.expect("a status");
    assert_eq!(result.authentication_status, KycStatus::Pending);
}

on_every_backend!(
    an_application_is_pending_then_reviewed_then_decided,
    an_unknown_kyc_number_is_refused,
    a_japan_payer_who_never_applied_is_not_certified_yet,
);

#[tokio::test]
async fn the_control_route_names_unknown_actions_and_applications() {
    let sandbox = sandbox().await;
    let unknown = post_json(sandbox.addr(), "/sandbox/kyc/nosuchapplicatio/approve", None, "").await;
    assert_eq!((unknown.status, unknown.json()["error"].clone()), (404, "no KYC application nosuchapplicatio".into()));
    let action = post_json(sandbox.addr(), "/sandbox/kyc/x/bless", None, "").await;
    assert_eq!(action.status, 404);
    assert!(action.body.contains("use review, approve or reject"), "{}", action.body);
    // A page on another site cannot decide a check through the browser.
    let elsewhere = http(
        sandbox.addr(),
        "POST",
        "/sandbox/kyc/nosuchapplicatio/approve",
        &[("Origin", "https://evil.example")],
        b"",
    )
    .await;
    assert_eq!(elsewhere.status, 403, "{}", elsewhere.body);
}

#[test]
fn a_kyc_application_is_never_resent() {
    use vexora::Endpoint;
    use vexora::endpoint::CallKind;
    assert_eq!(KycApplicationRequest::CALL, CallKind::Create);
    assert_eq!(KycStatusRequest::CALL, CallKind::Read);
}

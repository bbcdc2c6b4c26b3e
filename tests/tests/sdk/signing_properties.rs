//! For any valid request, the derive's signature equals the signature
//! computed generically from the JSON body that is actually sent.

use proptest::prelude::*;
use vexora::clock::FixedClock;
use vexora::signing::request_canonical;
use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
use vexora::transport::RecordingTransport;
use vexora::types::{Amount, TradeNo};
use vexora::{Client, Config, Validate};
use vexora_tests::{generic_canonical, md5_hex};

fn ip_address() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|octets| std::net::Ipv4Addr::from(octets).to_string()),
        any::<[u16; 8]>().prop_map(|segments| std::net::Ipv6Addr::from(segments).to_string()),
    ]
}

/// Free text: any Unicode, including quotes, backslashes, `=` and control
/// characters, which the body must escape and the signature must not.
fn text(min: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), min..12).prop_map(|chars| chars.into_iter().collect())
}

prop_compose! {
    fn checkout()(
        trade_no in "[0-9A-Za-z_-]{1,32}",
        amount in 1..=u64::MAX,
        mobile in "0[0-9]{9}",
        firstname in text(1),
        lastname in text(1),
        email in "[a-z0-9._%+-]{1,12}@[a-z0-9-]{1,10}\\.[a-z]{2,6}",
        channel in 0..3usize,
        way_code in "[A-Z0-9_]{1,16}",
        ip_address in ip_address(),
        postcode in "[0-9]{3,6}",
        address in text(1),
        bank_number in "[0-9]{3}-[0-9]{1,18}(,[0-9]{3}-[0-9]{1,18}){0,2}",
        optional_store_fields in any::<bool>(),
        notify_url in "https://[a-z]{1,12}\\.example(:[0-9]{2,5})?/[a-zA-Z0-9/?=&#%._-]{0,30}",
        return_url in "https?://[a-z]{1,12}\\.example/[a-zA-Z0-9/?=&#%._-]{0,30}",
        remark in proptest::option::of(text(0)),
    ) -> CheckoutRequest {
        let channel_code = [ChannelCode::NetBanking, ChannelCode::Store, ChannelCode::Ewallet][channel].clone();
        let store = channel_code == ChannelCode::Store || optional_store_fields;
        let net_banking = channel_code == ChannelCode::NetBanking;
        let mut request = CheckoutRequest::builder()
            .trade_no(TradeNo::new(trade_no))
            .amount(Amount::new(amount))
            .mobile(mobile)
            .firstname(firstname)
            .lastname(lastname)
            .email(email)
            .channel_code(channel_code)
            .way_code(WayCode::new(way_code))
            .ip_address(ip_address)
            .notify_url(notify_url)
            .return_url(return_url)
            .build();
        // Optional fields present or not as drawn.
        request.bank_number = net_banking.then_some(bank_number);
        request.postcode = store.then_some(postcode);
        request.address = store.then_some(address);
        request.remark = remark;
        request
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn derive_signature_equals_generic_signature_of_the_sent_body(
        request in checkout(),
        secret in text(1),
        now in 1u64..=4_102_444_800_000,
    ) {
        prop_assert!(request.validate().is_ok(), "the strategy makes valid requests: {:?}", request.validate());
        let config = Config::builder()
            .merchant_no("0000000001")
            .app_secret(secret.clone())
            .base_url("https://gateway.example/taiwan")
            .build()
            .expect("valid configuration");
        let client = Client::with_transport(config, RecordingTransport::new()).with_clock(FixedClock(now));
        let prepared = client.prepare(&request).expect("valid request");

        let body: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&prepared.body).expect("the body is a JSON object");
        let canonical = generic_canonical(&body);
        prop_assert_eq!(&canonical, &request_canonical(&request, &now.to_string()));
        let expected_sign = md5_hex(&canonical, &secret);
        let expected_timestamp = now.to_string();
        prop_assert_eq!(body["sign"].as_str(), Some(expected_sign.as_str()));
        prop_assert_eq!(body["timestamp"].as_str(), Some(expected_timestamp.as_str()));
        // No empty value is ever sent.
        prop_assert!(body.values().all(|value| value.as_str().is_some_and(|text| !text.is_empty())));
    }
}

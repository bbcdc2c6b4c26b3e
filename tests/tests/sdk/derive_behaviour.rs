//! What `#[derive(Signable, Validate)]` does at run time: the canonical order
//! it signs in, the `FIELDS` table it emits, and every violation it reports.

use vexora::signing::request_canonical;
// The derive's tables are what these tests inspect: they live on the
// hidden path, outside the API.
use vexora::__private::{CharClass, CustomRule, FieldSpec, Format, Pattern, PatternItem, Presence, Rule};
use vexora::Endpoint;
use vexora::validation::{Invalid, Validate};

const TIMESTAMP: &str = "1700000000000";

#[derive(Debug, PartialEq, serde::Deserialize)]
struct CheckoutData {
    #[allow(dead_code)]
    url: String,
}

#[derive(Debug, Default, PartialEq, serde::Deserialize, vexora::Signable, vexora::Validate)]
#[serde(rename_all = "camelCase")]
#[vexora(spec = "testland/checkout", response = CheckoutData)]
#[non_exhaustive]
struct Checkout {
    #[vexora(required, digits, max_length = 12)]
    amount: String,
    #[vexora(required, one_of("NET_BANKING", "STORE", "EWALLET"))]
    channel_code: String,
    #[vexora(required_if(channel_code = "STORE"))]
    #[vexora(pattern = "^\\d{5}$")]
    postcode: Option<String>,
    #[vexora(optional, email)]
    payer_email: Option<String>,
    #[vexora(optional, ip)]
    ip_address: Option<String>,
    #[vexora(optional, url)]
    notify_url: Option<String>,
    #[serde(rename = "platFormTradeNo")]
    #[vexora(required, min_length = 4, max_length = 32)]
    trade_no: String,
    #[vexora(optional, custom = check_bank_number)]
    bank_number: Option<String>,
    // Upper case sorts before lower case in code-point order.
    #[serde(rename = "Zeta")]
    #[vexora(optional, rename = "Zeta")]
    zeta: Option<String>,
    #[vexora(optional)]
    quantity: Option<u32>,
    #[vexora(required)]
    r#type: String,
    #[serde(skip)]
    #[vexora(skip)]
    #[allow(dead_code)]
    internal_note: String,
}

fn check_bank_number(text: &str) -> Result<(), Invalid> {
    if text.len() == 14 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Invalid::new("bank_number", "must be 14 digits"))
    }
}

fn valid_checkout() -> Checkout {
    Checkout {
        amount: "300".to_owned(),
        channel_code: "STORE".to_owned(),
        postcode: Some("10491".to_owned()),
        payer_email: Some("payer@example.com".to_owned()),
        ip_address: Some("203.0.113.7".to_owned()),
        notify_url: Some("https://shop.example/notify".to_owned()),
        trade_no: "T20240001".to_owned(),
        bank_number: Some("12345678901234".to_owned()),
        zeta: Some("z".to_owned()),
        quantity: Some(2),
        r#type: "SALE".to_owned(),
        internal_note: "never signed".to_owned(),
    }
}

#[test]
fn canonical_order_is_code_point_order_with_timestamp_in_place() {
    assert_eq!(
        request_canonical(&valid_checkout(), TIMESTAMP),
        "Zeta=z\
         amount=300\
         bankNumber=12345678901234\
         channelCode=STORE\
         ipAddress=203.0.113.7\
         notifyUrl=https://shop.example/notify\
         payerEmail=payer@example.com\
         platFormTradeNo=T20240001\
         postcode=10491\
         quantity=2\
         timestamp=1700000000000\
         type=SALE"
    );
}

#[test]
fn absent_and_empty_fields_are_left_out() {
    let sparse = Checkout {
        postcode: None,
        payer_email: Some(String::new()),
        ip_address: None,
        notify_url: None,
        bank_number: None,
        zeta: None,
        quantity: None,
        channel_code: "EWALLET".to_owned(),
        ..valid_checkout()
    };
    assert_eq!(
        request_canonical(&sparse, TIMESTAMP),
        "amount=300channelCode=EWALLETplatFormTradeNo=T20240001timestamp=1700000000000type=SALE"
    );
}

#[test]
fn endpoint_comes_from_the_spec_file() {
    assert_eq!(<Checkout as Endpoint>::SPEC, "testland/checkout");
    assert_eq!(<Checkout as Endpoint>::REGION, "testland");
    assert_eq!(<Checkout as Endpoint>::PATH, "/v1/vexora/checkout");
    assert_eq!(<Checkout as Endpoint>::CALL, vexora::endpoint::CallKind::Create);
    let data: <Checkout as Endpoint>::Response =
        serde_json::from_str(r#"{"url":"https://pay.example/x"}"#).expect("response type deserializes");
    assert_eq!(data, CheckoutData { url: "https://pay.example/x".to_owned() });
}

#[test]
fn fields_table_lists_every_validated_field_in_declaration_order() {
    const POSTCODE: Pattern =
        Pattern { source: "^\\d{5}$", items: &[PatternItem { class: CharClass::Digit, min: 5, max: 5 }] };
    let expected = [
        FieldSpec {
            name: "amount",
            rust_name: "amount",
            presence: Presence::Required,
            rules: &[Rule::Digits, Rule::MaxLength(12)],
            type_rules: &[],
        },
        FieldSpec {
            name: "channelCode",
            rust_name: "channel_code",
            presence: Presence::Required,
            rules: &[Rule::OneOf(&["NET_BANKING", "STORE", "EWALLET"])],
            type_rules: &[],
        },
        FieldSpec {
            name: "postcode",
            rust_name: "postcode",
            presence: Presence::RequiredIf { field: "channelCode", values: &["STORE"] },
            rules: &[Rule::Pattern(&POSTCODE)],
            type_rules: &[],
        },
        FieldSpec {
            name: "payerEmail",
            rust_name: "payer_email",
            presence: Presence::Optional,
            rules: &[Rule::Format(Format::Email)],
            type_rules: &[],
        },
        FieldSpec {
            name: "ipAddress",
            rust_name: "ip_address",
            presence: Presence::Optional,
            rules: &[Rule::Format(Format::Ip)],
            type_rules: &[],
        },
        FieldSpec {
            name: "notifyUrl",
            rust_name: "notify_url",
            presence: Presence::Optional,
            rules: &[Rule::Format(Format::HttpUrl)],
            type_rules: &[],
        },
        FieldSpec {
            name: "platFormTradeNo",
            rust_name: "trade_no",
            presence: Presence::Required,
            rules: &[Rule::MinLength(4), Rule::MaxLength(32)],
            type_rules: &[],
        },
        FieldSpec {
            name: "bankNumber",
            rust_name: "bank_number",
            presence: Presence::Optional,
            rules: &[Rule::Custom(CustomRule { name: "check_bank_number", check: check_bank_number })],
            type_rules: &[],
        },
        FieldSpec { name: "Zeta", rust_name: "zeta", presence: Presence::Optional, rules: &[], type_rules: &[] },
        FieldSpec {
            name: "quantity",
            rust_name: "quantity",
            presence: Presence::Optional,
            rules: &[],
            type_rules: &[],
        },
        FieldSpec { name: "type", rust_name: "type", presence: Presence::Required, rules: &[], type_rules: &[] },
    ];
    assert_eq!(Checkout::FIELDS, &expected[..]);
}

#[test]
fn a_valid_request_validates() {
    assert_eq!(valid_checkout().validate(), Ok(()));
    // `required_if` holds only when the condition does.
    let no_postcode = Checkout { channel_code: "NET_BANKING".to_owned(), postcode: None, ..valid_checkout() };
    assert_eq!(no_postcode.validate(), Ok(()));
}

/// Breaks one field of a valid request and expects exactly one violation.
fn single_violation(break_it: impl FnOnce(&mut Checkout)) -> (String, String) {
    let mut request = valid_checkout();
    break_it(&mut request);
    let errors = request.validate().expect_err("the broken field is reported");
    match errors.violations() {
        [violation] => (violation.field.clone(), violation.code.clone()),
        other => panic!("expected one violation, got {other:?}"),
    }
}

#[test]
fn every_rule_reports_its_code_under_the_wire_name() {
    type Breaker = fn(&mut Checkout);
    let cases: [(Breaker, &str, &str); 11] = [
        (|r| r.amount = String::new(), "amount", "required"),
        (|r| r.postcode = None, "postcode", "required_if"),
        (|r| r.trade_no = "T20".to_owned(), "platFormTradeNo", "min_length"),
        (|r| r.amount = "1234567890123".to_owned(), "amount", "max_length"),
        (|r| r.amount = "30O".to_owned(), "amount", "digits"),
        (|r| r.postcode = Some("1049".to_owned()), "postcode", "pattern"),
        (|r| r.payer_email = Some("payer.example.com".to_owned()), "payerEmail", "email"),
        (|r| r.ip_address = Some("203.0.113".to_owned()), "ipAddress", "ip"),
        (|r| r.notify_url = Some("ftp://shop.example".to_owned()), "notifyUrl", "url"),
        (|r| r.channel_code = "CASH".to_owned(), "channelCode", "one_of"),
        (|r| r.bank_number = Some("1234".to_owned()), "bankNumber", "bank_number"),
    ];
    for (break_it, field, code) in cases {
        assert_eq!(single_violation(break_it), (field.to_owned(), code.to_owned()));
    }
}

#[test]
fn several_violations_come_back_together_in_declaration_order() {
    let request = Checkout {
        amount: String::new(),
        channel_code: "CASH".to_owned(),
        payer_email: Some("nobody".to_owned()),
        trade_no: "T1".to_owned(),
        bank_number: Some("x".to_owned()),
        ..valid_checkout()
    };
    let errors = request.validate().expect_err("every broken field is reported");
    let found: Vec<(&str, &str)> = errors.violations().iter().map(|v| (v.field.as_str(), v.code.as_str())).collect();
    assert_eq!(
        found,
        [
            ("amount", "required"),
            ("channelCode", "one_of"),
            ("payerEmail", "email"),
            ("platFormTradeNo", "min_length"),
            ("bankNumber", "bank_number"),
        ]
    );
}

#[derive(serde::Serialize, vexora::Signable, vexora::Validate)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
struct Shouting {
    #[vexora(required)]
    order_id: String,
    #[vexora(optional)]
    #[serde(rename = "lower")]
    other: Option<String>,
}

#[test]
fn rename_all_and_serde_rename_set_wire_names() {
    let request = Shouting { order_id: "A1".to_owned(), other: Some("b".to_owned()) };
    assert_eq!(request_canonical(&request, TIMESTAMP), "ORDER-ID=A1lower=btimestamp=1700000000000");
    let json = serde_json::to_value(&request).expect("serializes");
    assert_eq!(json, serde_json::json!({"ORDER-ID": "A1", "lower": "b"}));
}

#[derive(vexora::Signable, vexora::Validate)]
struct Generic<'a, T> {
    #[vexora(required, max_length = 3)]
    value: T,
    #[vexora(optional)]
    note: Option<&'a str>,
}

#[test]
fn generic_requests_sign_and_validate() {
    let request = Generic { value: 7u32, note: Some("hi") };
    assert_eq!(request_canonical(&request, TIMESTAMP), "note=hitimestamp=1700000000000value=7");
    assert_eq!(request.validate(), Ok(()));
    let long = Generic { value: "abcd".to_owned(), note: None };
    assert!(long.validate().is_err_and(|errors| errors.has("value", "max_length")));
}

#[derive(vexora::Signable, vexora::Validate)]
struct Ping {}

#[test]
fn a_request_without_fields_signs_only_the_timestamp() {
    assert_eq!(request_canonical(&Ping {}, TIMESTAMP), "timestamp=1700000000000");
    assert!(Ping::FIELDS.is_empty());
    assert_eq!(Ping {}.validate(), Ok(()));
}

#[test]
fn the_builder_sets_each_field_and_wraps_optional_ones() {
    // Required fields in any order, optional ones given as the value itself,
    // a raw identifier as its plain name; a skipped field keeps its default.
    let built = Checkout::builder()
        .r#type("SALE")
        .trade_no("T20240001")
        .channel_code("STORE")
        .amount("300")
        .postcode("10491")
        .payer_email("payer@example.com")
        .ip_address("203.0.113.7")
        .notify_url("https://shop.example/notify")
        .bank_number("12345678901234")
        .zeta("z")
        .quantity(2u32)
        .build();
    assert_eq!(built, Checkout { internal_note: String::new(), ..valid_checkout() });
}

#[test]
fn the_builder_leaves_unset_optional_fields_absent_and_a_later_setter_wins() {
    let built =
        Checkout::builder().amount("1").amount("300").channel_code("EWALLET").trade_no("T1").r#type("X").build();
    assert_eq!(
        built,
        Checkout {
            amount: "300".to_owned(),
            channel_code: "EWALLET".to_owned(),
            trade_no: "T1".to_owned(),
            r#type: "X".to_owned(),
            ..Checkout::default()
        }
    );
    assert_eq!(built.postcode, None);
}

#[test]
fn a_built_request_is_validated_like_any_other() {
    // `postcode` is required only for STORE, which the type state cannot
    // know: validation reports it.
    let built = Checkout::builder().amount("300").channel_code("STORE").trade_no("T20240001").r#type("SALE").build();
    let errors = built.validate().unwrap_err();
    assert_eq!(
        errors.violations().iter().map(|v| (v.field.as_str(), v.code.as_str())).collect::<Vec<_>>(),
        [("postcode", "required_if")]
    );
}

#[derive(Debug, Default, PartialEq, serde::Deserialize, vexora::Signable, vexora::Validate)]
#[serde(rename_all = "camelCase")]
#[vexora(spec = "testland/submit", response = CheckoutData)]
#[non_exhaustive]
struct Submit {
    #[vexora(required, one_of("CASH", "BANK", "WALLET"))]
    way_code: String,
    #[vexora(required_if(way_code = ["CASH", "BANK"]))]
    id_card_number: Option<String>,
}

/// A field required when another has any of several values: required for
/// each of them, by name and with every value in the report; not for the
/// others.
#[test]
fn required_if_on_several_values() {
    assert_eq!(
        <Submit as Validate>::FIELDS[1].presence,
        Presence::RequiredIf { field: "wayCode", values: &["CASH", "BANK"] }
    );
    for way in ["CASH", "BANK"] {
        let errors = Submit { way_code: way.into(), id_card_number: None }.validate().expect_err("required");
        let violation = &errors.violations()[0];
        assert_eq!((violation.field.as_str(), violation.code.as_str()), ("idCardNumber", "required_if"));
        assert_eq!(violation.message, "is required when wayCode is CASH or BANK");
        assert_eq!(violation.params["values"], serde_json::json!(["CASH", "BANK"]));
        assert!(Submit { way_code: way.into(), id_card_number: Some("A123".into()) }.validate().is_ok());
    }
    assert!(Submit { way_code: "WALLET".into(), id_card_number: None }.validate().is_ok());
}

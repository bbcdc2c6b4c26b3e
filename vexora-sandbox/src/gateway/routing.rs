//! The gateway's API: every request judged the same way from its spec, then
//! handed to the handler of the spec's `kind`, whatever its region. Every
//! kind has one, so a new endpoint of any kind is served from its spec file
//! alone. The one naming a spec decides in an answer is Vexora's id, which
//! the `[[data]]` table calls `platFormTradeNo` or (Kenya) `serialNumber`.

use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use vexora_spec::{EndpointKind, EndpointSpec};

use crate::book::money::Cents;
use crate::book::state::{NewOrder, NewPayout};
use crate::book::visibility::hidden_for_ms;
use crate::error::SandboxError;
use crate::gateway::body::Fields;
use crate::gateway::envelope::{self, data, Refusal, SandboxCode};
use crate::gateway::rules::RequestRules;
use crate::gateway::signature;
use crate::server::app::{App, Call, Endpoint, Handler};

/// The handler for a spec's `kind`, whatever its region: each reads the
/// fields by their wire names, which every region's documents share.
pub(crate) fn handler_for(kind: EndpointKind) -> Handler {
    match kind {
        // A direct deposit is answered as a checkout: the cashier page
        // stands in for the payment instructions a real deposit returns.
        EndpointKind::Checkout | EndpointKind::Deposit => checkout,
        EndpointKind::PayInQuery => query_pay_in_result,
        EndpointKind::Balance => balance,
        EndpointKind::Payout => payout,
        EndpointKind::PayoutQuery => query_payout_result,
        EndpointKind::Submit => submit,
        EndpointKind::KycApplication => crate::gateway::kyc::apply,
        EndpointKind::KycStatus => crate::gateway::kyc::status,
    }
}

/// First path segments the sandbox keeps for itself.
const RESERVED_SEGMENTS: [&str; 2] = ["cashier", "sandbox"];
/// The endpoints of the specs, each with its route, rules and handler:
/// at `/<region><path>`, the region spelled exactly as the spec files spell
/// it, and at `/<segment><path>` for each `(segment, region)` of
/// `region_paths` (a merchant's base URL that names its region otherwise).
/// An alias of a region no spec has, or a segment that cannot be one path
/// segment, is refused.
pub(crate) fn endpoints(
    specs: Vec<EndpointSpec>,
    region_paths: &[(String, String)],
) -> Result<Vec<Endpoint>, SandboxError> {
    for (segment, region) in region_paths {
        check_region_path(segment)
            .map_err(|reason| SandboxError::Config(format!("region path {segment:?}: {reason}")))?;
        if !specs.iter().any(|spec| spec.endpoint.region == *region) {
            return Err(SandboxError::Config(format!(
                "region path {segment:?}: no spec has the region {region:?} (regions are spelled as spec/'s folders)"
            )));
        }
    }
    let mut endpoints: Vec<Endpoint> = Vec::with_capacity(specs.len());
    for spec in specs {
        let info = &spec.endpoint;
        let aliases = region_paths.iter().filter(|(_, region)| *region == info.region).map(|(segment, _)| segment);
        for segment in std::iter::once(&info.region).chain(aliases) {
            let route = route_of(segment, &info.path).map_err(|reason| SandboxError::Route {
                region: segment.clone(),
                path: info.path.clone(),
                reason,
            })?;
            if endpoints.iter().any(|known| known.route == route) {
                return Err(SandboxError::Route {
                    region: segment.clone(),
                    path: info.path.clone(),
                    reason: "two spec files (or a spec file and a region path) describe this route".to_owned(),
                });
            }
            let rules = RequestRules::compile(&spec)?;
            let handler = handler_for(info.kind);
            let platform_id = platform_id_name(&spec);
            endpoints.push(Endpoint { route, region: info.region.clone(), rules, handler, platform_id });
        }
    }
    endpoints.sort_by(|a, b| a.route.cmp(&b.route));
    Ok(endpoints)
}

/// A region path's segment: one non-empty path segment, without `/`, `?`
/// or `#`, and in the characters a route takes.
fn check_region_path(segment: &str) -> Result<(), String> {
    if segment.is_empty() {
        return Err("the segment is empty".to_owned());
    }
    if let Some(bad) = segment.chars().find(|c| ['/', '?', '#'].contains(c)) {
        return Err(format!("the segment must be one path segment, without {bad:?}"));
    }
    route_of(segment, "/path").map(|_| ())
}

/// The wire name of Vexora's id in an endpoint's `data`: `serialNumber`
/// when the spec's `[[data]]` table names it and not `platFormTradeNo`
/// (Kenya's creates), else `platFormTradeNo`, the other regions' name.
fn platform_id_name(spec: &EndpointSpec) -> &'static str {
    let names = |name: &str| spec.data.iter().any(|field| field.name == name);
    if names(SERIAL_NUMBER) && !names(PLAT_FORM_TRADE_NO) {
        SERIAL_NUMBER
    } else {
        PLAT_FORM_TRADE_NO
    }
}

const PLAT_FORM_TRADE_NO: &str = "platFormTradeNo";
const SERIAL_NUMBER: &str = "serialNumber";

/// Vexora's id of an order or payout, written as one member under the
/// endpoint's name for it (flattened into the answer's `data`).
struct PlatformId<'a> {
    name: &'static str,
    id: &'a str,
}

impl<'a> PlatformId<'a> {
    fn of(call: &Call<'_>, id: &'a str) -> Self {
        Self { name: call.platform_id, id }
    }
}

impl Serialize for PlatformId<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.name, self.id)?;
        map.end()
    }
}

/// `/<region><path>`, checked so the router cannot refuse it.
fn route_of(region: &str, path: &str) -> Result<String, String> {
    let plain = |segment: &str| {
        !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    if !plain(region) {
        return Err("the region must be letters, digits, '-', '_' or '.'".to_owned());
    }
    if RESERVED_SEGMENTS.contains(&region) {
        return Err(format!("the region {region:?} is reserved by the sandbox"));
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err("the path must start with '/'".to_owned());
    };
    if !rest.split('/').all(plain) {
        return Err("path segments must be non-empty letters, digits, '-', '_' or '.'".to_owned());
    }
    Ok(format!("/{region}{path}"))
}

/// Judges and answers one API request, always with an envelope.
pub(crate) fn handle(app: &App, endpoint: &Endpoint, headers: &HeaderMap, body: &[u8], hidden_for_ms: i64) -> Response {
    let result = judge(app, endpoint, headers, body, hidden_for_ms);
    let now = app.clock.now_ms();
    match result {
        Ok(data) => envelope::accepted(&data, now),
        Err(refusal) => envelope::refused(&refusal, now),
    }
}

fn judge(
    app: &App,
    endpoint: &Endpoint,
    headers: &HeaderMap,
    body: &[u8],
    hidden_for_ms: i64,
) -> Result<Box<RawValue>, Refusal> {
    let (merchant_no, secret) = merchant(app, headers)?;
    check_content_type(headers)?;
    let fields = Fields::parse(body).map_err(|message| Refusal::new(SandboxCode::MalformedBody, message))?;
    signature::verify(&fields, secret).map_err(|message| Refusal::new(SandboxCode::BadSignature, message))?;
    check_timestamp(&fields, app.clock.now_ms(), app.timestamp_tolerance_ms)?;
    let violations = endpoint.rules.check(&fields);
    if !violations.is_empty() {
        return Err(Refusal::new(SandboxCode::InvalidField, violations.join("; ")));
    }
    let call = Call {
        merchant_no,
        region: &endpoint.region,
        fields: &fields,
        platform_id: endpoint.platform_id,
        hidden_for_ms,
    };
    (endpoint.handler)(app, &call)
}

fn merchant<'a>(app: &'a App, headers: &'a HeaderMap) -> Result<(&'a str, &'a str), Refusal> {
    let refuse = |message: String| Refusal::new(SandboxCode::UnknownMerchant, message);
    let value = headers.get("merchantNo").ok_or_else(|| refuse("merchantNo: header missing".to_owned()))?;
    let merchant_no = value.to_str().map_err(|_| refuse("merchantNo: header is not text".to_owned()))?;
    app.merchants
        .get_key_value(merchant_no)
        .map(|(no, secret)| (no.as_str(), secret.as_str()))
        .ok_or_else(|| refuse(format!("merchantNo: {} is not a merchant of this sandbox", shorten(merchant_no))))
}

fn check_content_type(headers: &HeaderMap) -> Result<(), Refusal> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::trim);
    match media_type {
        Some(media_type) if media_type.eq_ignore_ascii_case("application/json") => Ok(()),
        Some(other) => Err(Refusal::new(
            SandboxCode::MalformedBody,
            format!("Content-Type: must be application/json, not {}", shorten(other)),
        )),
        None => Err(Refusal::new(SandboxCode::MalformedBody, "Content-Type: must be application/json")),
    }
}

fn check_timestamp(fields: &Fields, now_ms: i64, tolerance_ms: i64) -> Result<(), Refusal> {
    let refuse = |message: String| Refusal::new(SandboxCode::StaleTimestamp, message);
    let text = fields.text("timestamp").ok_or_else(|| refuse("timestamp: missing".to_owned()))?;
    let sent: i64 = text.parse().ok().filter(|_| text.bytes().all(|b| b.is_ascii_digit())).ok_or_else(|| {
        refuse(format!("timestamp: must be milliseconds since the Unix epoch, not {}", shorten(text)))
    })?;
    let distance = now_ms.abs_diff(sent);
    if distance <= tolerance_ms.unsigned_abs() {
        return Ok(());
    }
    let hint = if now_ms.abs_diff(sent.saturating_mul(1000)) <= tolerance_ms.unsigned_abs() {
        " (it looks like seconds: send milliseconds)"
    } else {
        ""
    };
    Err(refuse(format!(
        "timestamp: {sent} is {distance} ms away from the sandbox clock ({now_ms}); at most {} ms allowed{hint}",
        tolerance_ms.unsigned_abs()
    )))
}

/// At most 40 characters of a received value, for messages.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// An amount the sandbox can keep: to the hundredth, the most any region
/// allows, so `300`, `300.5` and `300.50` are taken and `300.505` is
/// refused, saying why. (Each region's own limit, such as whole units
/// only, is its spec's rule, judged before this.)
fn kept_amount(text: &str) -> Result<Cents, Refusal> {
    Cents::parse(text).ok_or_else(|| {
        Refusal::new(
            SandboxCode::InvalidField,
            format!("amount: the sandbox keeps amounts to the hundredth: {} is not one", shorten(text)),
        )
    })
}

/// The fields that name how money moves, as regions' specs spell them.
const CHANNEL_FIELDS: [&str; 5] = ["channelCode", "wayCode", "payType", "paymentType", "bankCode"];

/// The channel fields present, joined for the dashboard (e.g.
/// `NET_BANKING / BANK_TRANSFER`); `None` when the request had none.
fn channel(fields: &Fields) -> Option<String> {
    let named: Vec<&str> =
        CHANNEL_FIELDS.iter().filter_map(|name| fields.text(name)).filter(|text| !text.is_empty()).collect();
    (!named.is_empty()).then(|| named.join(" / "))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckoutData<'a> {
    trade_no: &'a str,
    #[serde(flatten)]
    plat_form_trade_no: PlatformId<'a>,
    status: &'a str,
    desc: &'a str,
    remark: &'a str,
    payment_url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayInResult<'a> {
    trade_no: &'a str,
    #[serde(flatten)]
    plat_form_trade_no: PlatformId<'a>,
    status: &'a str,
    amount: String,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Balance {
    available_amount: String,
    freeze_amount: String,
    unsettled_amount: String,
}

/// `checkout`: creates a cashier order.
fn checkout(app: &App, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let amount = kept_amount(call.text("amount"))?;
    let new = NewOrder {
        merchant_no: call.merchant_no.to_owned(),
        region: call.region.to_owned(),
        trade_no: call.text("tradeNo").to_owned(),
        amount,
        remark: call.fields.text("remark").map(str::to_owned),
        channel: channel(call.fields),
        ip_address: call.text("ipAddress").to_owned(),
        notify_url: call.text("notifyUrl").to_owned(),
        return_url: call.text("returnUrl").to_owned(),
    };
    // Decided before the state is locked: the hook is the embedding program's code.
    let hidden_for_ms = hidden_for_ms(app.visibility_delay.as_ref(), "order", &new.trade_no, call.hidden_for_ms);
    let now = app.clock.now_ms();
    let mut state = app.state();
    let order = state.create_order(new, now, app.clock.day_of(now), |id| format!("{}/cashier/{id}", app.public_url))?;
    order.visible_from_ms = now.saturating_add(hidden_for_ms);
    data(&CheckoutData {
        trade_no: &order.trade_no,
        plat_form_trade_no: PlatformId::of(call, &order.plat_form_trade_no),
        status: order.status.code(),
        desc: order.status.message(),
        remark: order.remark.as_deref().unwrap_or_default(),
        payment_url: &order.payment_url,
    })
}

/// `query-pay-in-result`: how an order stands, by the merchant's `tradeNo`.
fn query_pay_in_result(app: &App, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let trade_no = call.text("tradeNo");
    let state = app.state();
    let now = app.clock.now_ms();
    let order =
        state.order(call.merchant_no, trade_no).filter(|order| order.visible_from_ms <= now).ok_or_else(|| {
            Refusal::new(
                SandboxCode::OrderNotFound,
                format!("tradeNo: no order {trade_no} for merchant {}", call.merchant_no),
            )
        })?;
    data(&PayInResult {
        trade_no: &order.trade_no,
        plat_form_trade_no: PlatformId::of(call, &order.plat_form_trade_no),
        status: order.status.code(),
        amount: order.paid_amount.text(2),
        message: order.status.message(),
    })
}

/// `balance`: the merchant's balances in the endpoint's region, 4 decimals
/// like the documents' examples.
fn balance(app: &App, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let balance = app
        .state()
        .balance(call.merchant_no, call.region, app.clock.today())
        .ok_or_else(|| crate::book::state::overflow_refusal("the balance"))?;
    data(&Balance {
        available_amount: balance.available.text(4),
        freeze_amount: balance.frozen.text(4),
        unsettled_amount: balance.unsettled.text(4),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayoutData<'a> {
    trade_no: &'a str,
    #[serde(flatten)]
    plat_form_trade_no: PlatformId<'a>,
    status: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayoutResult<'a> {
    trade_no: &'a str,
    #[serde(flatten)]
    plat_form_trade_no: PlatformId<'a>,
    amount: String,
    status: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    success_time: Option<String>,
}

/// `submit`: the payer's transaction id for an order of this merchant; the
/// order's result still comes from the cashier or the control route.
fn submit(app: &App, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let plat_form_trade_no = call.text("platFormTradeNo");
    let state = app.state();
    match state.order_by_platform(plat_form_trade_no) {
        Some(order) if order.merchant_no == call.merchant_no => data(&true),
        _ => Err(Refusal::new(
            SandboxCode::OrderNotFound,
            format!("platFormTradeNo: no order {plat_form_trade_no} for merchant {}", call.merchant_no),
        )),
    }
}

/// `payout`: takes the amount out of the available balance, processing.
fn payout(app: &App, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let amount = kept_amount(call.text("amount"))?;
    let new = NewPayout {
        merchant_no: call.merchant_no.to_owned(),
        region: call.region.to_owned(),
        trade_no: call.text("tradeNo").to_owned(),
        amount,
        remark: call.fields.text("remark").map(str::to_owned),
        channel: channel(call.fields),
        notify_url: call.text("notifyUrl").to_owned(),
    };
    let hidden_for_ms = hidden_for_ms(app.visibility_delay.as_ref(), "payout", &new.trade_no, call.hidden_for_ms);
    let now = app.clock.now_ms();
    let mut state = app.state();
    let payout = state.create_payout(new, now, app.clock.day_of(now))?;
    payout.visible_from_ms = now.saturating_add(hidden_for_ms);
    data(&PayoutData {
        trade_no: &payout.trade_no,
        plat_form_trade_no: PlatformId::of(call, &payout.plat_form_trade_no),
        status: payout.status.code(),
    })
}

/// `payout-query`: how a payout stands, by the merchant's `tradeNo`.
fn query_payout_result(app: &App, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let trade_no = call.text("tradeNo");
    let state = app.state();
    let now = app.clock.now_ms();
    let payout =
        state.payout(call.merchant_no, trade_no).filter(|payout| payout.visible_from_ms <= now).ok_or_else(|| {
            Refusal::new(
                SandboxCode::OrderNotFound,
                format!("tradeNo: no payout {trade_no} for merchant {}", call.merchant_no),
            )
        })?;
    data(&PayoutResult {
        trade_no: &payout.trade_no,
        plat_form_trade_no: PlatformId::of(call, &payout.plat_form_trade_no),
        amount: payout.amount.text(2),
        status: payout.status.code(),
        message: payout.status.message(),
        success_time: payout
            .finished_at_ms
            .filter(|_| payout.status == crate::book::state::PayoutStatus::PaidOut)
            .map(|at| app.clock.format_local(at)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(timestamp: &str) -> Fields {
        Fields::parse(format!(r#"{{"timestamp":"{timestamp}"}}"#).as_bytes()).expect("a valid body")
    }

    #[test]
    fn timestamps_within_the_tolerance_pass() {
        let now = 1_795_676_645_000;
        assert_eq!(check_timestamp(&fields(&now.to_string()), now, 300_000), Ok(()));
        assert_eq!(check_timestamp(&fields(&(now - 300_000).to_string()), now, 300_000), Ok(()));
        assert_eq!(check_timestamp(&fields(&(now + 300_000).to_string()), now, 300_000), Ok(()));
    }

    #[test]
    fn stale_or_odd_timestamps_are_named() {
        let now = 1_795_676_645_000;
        let message = |timestamp: &str| {
            check_timestamp(&fields(timestamp), now, 300_000).map_err(|refusal| (refusal.code, refusal.message))
        };
        let stale = message(&(now - 300_001).to_string()).expect_err("refused");
        assert_eq!(stale.0, SandboxCode::StaleTimestamp);
        assert!(
            stale.1.starts_with("timestamp: 1795676344999 is 300001 ms away from the sandbox clock"),
            "{}",
            stale.1
        );
        assert!(message("1795676645").expect_err("refused").1.contains("looks like seconds"));
        assert!(message("-5").expect_err("refused").1.contains("must be milliseconds"));
        assert!(message("").expect_err("refused").1.contains("timestamp: missing"));
    }

    #[test]
    fn routes_are_region_then_path() {
        assert_eq!(route_of("taiwan", "/v1/vexora/checkout"), Ok("/taiwan/v1/vexora/checkout".to_owned()));
        assert_eq!(
            route_of("SouthKorea", "/v1/vexora/payInSubmit"),
            Ok("/SouthKorea/v1/vexora/payInSubmit".to_owned())
        );
        for (region, path) in [("", "/x"), ("a/b", "/x"), ("cashier", "/x"), ("r", "x"), ("r", "/{id}"), ("r", "/a//b")]
        {
            assert!(route_of(region, path).is_err(), "{region} {path}");
        }
    }

    fn taiwan_and_thailand() -> Vec<EndpointSpec> {
        ["taiwan/balance.toml", "taiwan/checkout.toml", "thailand/balance.toml"]
            .iter()
            .map(|file| {
                let path = vexora_spec::workspace_spec_dir().join(file);
                let text = std::fs::read_to_string(&path).expect("the spec file");
                EndpointSpec::parse(&text, &path).expect("a valid spec")
            })
            .collect()
    }

    fn routes(region_paths: &[(&str, &str)]) -> Result<Vec<(String, String)>, String> {
        let region_paths: Vec<_> =
            region_paths.iter().map(|(segment, region)| ((*segment).to_owned(), (*region).to_owned())).collect();
        endpoints(taiwan_and_thailand(), &region_paths)
            .map(|endpoints| endpoints.into_iter().map(|endpoint| (endpoint.route, endpoint.region)).collect())
            .map_err(|error| error.to_string())
    }

    #[test]
    fn regions_are_served_as_spelled_and_under_their_region_paths() {
        let plain = routes(&[]).expect("served");
        let served = |routes: &[(String, String)], route: &str| routes.iter().any(|(known, _)| known == route);
        assert!(served(&plain, "/taiwan/v1/vexora/queryBalance"));
        for other in
            ["/TAIWAN/v1/vexora/queryBalance", "/Taiwan/v1/vexora/queryBalance", "/taiwan-usd/v1/vexora/queryBalance"]
        {
            assert!(!served(&plain, other), "{other}");
        }

        let aliased = routes(&[("Taiwan", "taiwan"), ("TH", "thailand")]).expect("served");
        assert_eq!(aliased.len(), plain.len() + 3, "each of the region's endpoints once more");
        for (route, region) in [
            ("/Taiwan/v1/vexora/queryBalance", "taiwan"),
            ("/Taiwan/v1/vexora/checkout", "taiwan"),
            ("/taiwan/v1/vexora/checkout", "taiwan"),
            ("/TH/v1/vexora/queryBalance", "thailand"),
        ] {
            assert!(aliased.contains(&(route.to_owned(), region.to_owned())), "{route} serves {region}");
        }
        assert!(!served(&aliased, "/TAIWAN/v1/vexora/queryBalance"), "compared case-sensitively");
    }

    #[test]
    fn region_paths_of_unknown_regions_or_bad_segments_are_refused() {
        for (segment, region, reason) in [
            ("Australia", "australia", "no spec has the region"),
            ("Taiwan", "Taiwan", "no spec has the region"),
            ("", "taiwan", "empty"),
            ("tai/wan", "taiwan", "'/'"),
            ("tai?wan", "taiwan", "'?'"),
            ("tai#wan", "taiwan", "'#'"),
            ("tai{wan}", "taiwan", "letters, digits"),
            ("sandbox", "taiwan", "reserved"),
            ("thailand", "taiwan", "describe this route"),
        ] {
            let error = routes(&[(segment, region)]).expect_err("refused");
            assert!(error.contains(reason), "{segment}={region}: {error}");
        }
    }

    #[test]
    fn the_platform_id_is_named_as_the_data_table_names_it() {
        let path = vexora_spec::workspace_spec_dir().join("taiwan/payout.toml");
        let text = std::fs::read_to_string(&path).expect("the spec file");
        let named = |text: &str| platform_id_name(&EndpointSpec::parse(text, &path).expect("a valid spec"));
        assert_eq!(named(&text), "platFormTradeNo");
        let renamed = text.replace(r#"name = "platFormTradeNo""#, r#"name = "serialNumber""#);
        assert_ne!(renamed, text);
        assert_eq!(named(&renamed), "serialNumber");
        // Both listed: the usual name; neither (a balance): the usual name.
        let both = format!(
            "{text}\n[[data]]\nname = \"serialNumber\"\nrequired = false\ntype = \"string\"\ndescription = \"d\"\n"
        );
        assert_eq!(named(&both), "platFormTradeNo");
        let balance = std::fs::read_to_string(vexora_spec::workspace_spec_dir().join("taiwan/balance.toml"))
            .expect("the spec file");
        assert_eq!(named(&balance), "platFormTradeNo");
    }

    #[test]
    fn the_platform_id_keeps_its_place_among_the_members() {
        let answer = |name| {
            let payout = PayoutData {
                trade_no: "T1",
                plat_form_trade_no: PlatformId { name, id: "c167o1itir0fypid" },
                status: "0015",
            };
            data(&payout).map(|raw| raw.get().to_owned()).map_err(|refusal| refusal.message)
        };
        assert_eq!(
            answer(SERIAL_NUMBER).as_deref(),
            Ok(r#"{"tradeNo":"T1","serialNumber":"c167o1itir0fypid","status":"0015"}"#)
        );
        assert_eq!(
            answer(PLAT_FORM_TRADE_NO).as_deref(),
            Ok(r#"{"tradeNo":"T1","platFormTradeNo":"c167o1itir0fypid","status":"0015"}"#)
        );
    }

    #[test]
    fn amounts_are_kept_to_the_hundredth() {
        assert_eq!(kept_amount("300.50").map(|cents| cents.text(2)), Ok("300.50".to_owned()));
        let refusal = kept_amount("300.505").expect_err("refused");
        assert_eq!(refusal.code, SandboxCode::InvalidField);
        assert_eq!(refusal.message, "amount: the sandbox keeps amounts to the hundredth: 300.505 is not one");
    }
}

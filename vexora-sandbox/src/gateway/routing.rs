//! The gateway and its routing by kind: every endpoint of `spec/` at
//! `/<region><path>` (and under the region paths configured), handed to the
//! handler of the spec's `kind`, whatever its region. A kind the sandbox
//! knows has a handler of its own; any other is served from its spec's data
//! (`spec_kinds.rs`), so a new endpoint of any kind is served from its spec
//! file alone. The one naming a spec decides in an answer is Vexora's id,
//! which the `[[data]]` table calls `platFormTradeNo` or (Kenya)
//! `serialNumber`.

use std::fmt;
use std::sync::Arc;

use serde_json::value::RawValue;
use vexora_spec::{CallKind, EndpointKind, EndpointSpec};

use crate::book::Book;
use crate::book::spec_records::SpecRecord;
use crate::book::visibility::VisibilityDelay;
use crate::error::SandboxError;
use crate::gateway::call::Call;
use crate::gateway::envelope::{Refusal, SandboxCode};
use crate::gateway::rules::RequestRules;
use crate::gateway::spec_kinds::{self, SpecHandler, SpecRead};
use crate::gateway::{kyc, orders, payouts};
use crate::notify::delivery::NotifiedKind;

/// The API of one sandbox: its endpoints, and the book their records are
/// kept in.
pub(crate) struct Gateway {
    pub(crate) book: Arc<Book>,
    /// Every endpoint of `spec/`, by route.
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) timestamp_tolerance_ms: i64,
    /// `http://<addr>`: the root of the cashier's and the KYC links.
    pub(crate) public_url: String,
    /// How long new orders and payouts stay hidden from queries, by key.
    pub(crate) visibility_delay: Option<VisibilityDelay>,
}

impl fmt::Debug for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gateway")
            .field("public_url", &self.public_url)
            .field("routes", &self.routes())
            .field("book", &self.book)
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// Whether `path` is one of the endpoints of `spec/`.
    pub(crate) fn is_api_path(&self, path: &str) -> bool {
        self.endpoints.iter().any(|endpoint| endpoint.route == path)
    }

    /// Every route served, in order.
    pub(crate) fn routes(&self) -> Vec<String> {
        self.endpoints.iter().map(|endpoint| endpoint.route.clone()).collect()
    }
}

/// One endpoint from `spec/`, served at `/<region><path>`.
#[derive(Debug)]
pub(crate) struct Endpoint {
    pub(crate) route: String,
    /// The spec's region: whose balance the money moving here is in.
    pub(crate) region: String,
    pub(crate) rules: RequestRules,
    pub(crate) handler: Handler,
    /// The wire name of Vexora's id in this endpoint's `data` (see
    /// [`platform_id_name`]).
    pub(crate) platform_id: &'static str,
}

/// The business logic of a kind the sandbox knows, run on a request that
/// passed every check; returns the envelope's `data` as JSON.
pub(crate) type KindHandler = fn(&Book, &Call<'_>) -> Result<Box<RawValue>, Refusal>;

/// An endpoint's business logic.
#[derive(Debug, Clone)]
pub(crate) enum Handler {
    /// The handler of a kind the sandbox knows.
    Kind(KindHandler),
    /// A read of a kind the sandbox knows that creates of new kinds name
    /// in `reconcile_with`: what its own handler does not find, it looks
    /// for among their records, and answers as it answers its own.
    KindThenSpec(EndpointKind, SpecRead),
    /// Any other kind, served from its spec's data.
    Spec(SpecHandler),
}

impl Handler {
    /// The handler of `spec`, one of `specs`. A new kind may take any name
    /// but `order`, which the notification log and the dashboard give
    /// pay-in orders.
    pub(crate) fn of(spec: &EndpointSpec, specs: &[EndpointSpec]) -> Result<Self, SandboxError> {
        match spec.endpoint.kind.known() {
            Some(kind) => {
                let read = (spec.endpoint.call == CallKind::Read)
                    .then(|| SpecRead::of(spec, specs))
                    .filter(SpecRead::finds_anything);
                Ok(read.map_or(Self::Kind(handler_for(kind)), |read| Self::KindThenSpec(kind, read)))
            }
            None if NotifiedKind::from_name(spec.endpoint.kind.name()) == NotifiedKind::Order => {
                Err(SandboxError::Config(format!(
                    "spec/{}.toml: the sandbox's notification log calls pay-in orders \"order\": give the kind another name",
                    spec.id()
                )))
            }
            None => Ok(Self::Spec(SpecHandler::of(spec, specs))),
        }
    }

    /// Runs on a request that passed every check; returns the envelope's
    /// `data` as JSON.
    pub(crate) fn handle(&self, book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
        match self {
            Self::Kind(handler) => handler(book, call),
            Self::KindThenSpec(kind, read) => match handler_for(*kind)(book, call) {
                Err(refusal) if refusal.code == SandboxCode::OrderNotFound => {
                    read.find(book, call).map_or(Err(refusal), |record| answer_record(*kind, book, call, &record))
                }
                answered => answered,
            },
            Self::Spec(handler) => handler.handle(book, call),
        }
    }
}

/// The handler for a spec's `kind`, whatever its region: each reads the
/// fields by their wire names, which every region's documents share.
pub(crate) fn handler_for(kind: EndpointKind) -> KindHandler {
    match kind {
        // A direct deposit is answered as a checkout: the cashier page
        // stands in for the payment instructions a real deposit returns.
        EndpointKind::Checkout | EndpointKind::Deposit => orders::checkout,
        EndpointKind::PayInQuery => orders::query_pay_in_result,
        EndpointKind::Balance => payouts::balance,
        EndpointKind::Payout => payouts::payout,
        EndpointKind::PayoutQuery => payouts::query_payout_result,
        EndpointKind::Submit => orders::submit,
        EndpointKind::KycApplication => kyc::apply,
        EndpointKind::KycStatus => kyc::status,
    }
}

/// A record of a new kind that a read of `kind` found, answered in that
/// read's own format where the sandbox knows it.
fn answer_record(
    kind: EndpointKind,
    book: &Book,
    call: &Call<'_>,
    record: &SpecRecord,
) -> Result<Box<RawValue>, Refusal> {
    match kind {
        EndpointKind::PayInQuery => orders::record_as_pay_in_result(call, record),
        EndpointKind::PayoutQuery => payouts::record_as_payout_result(book, call, record),
        _ => spec_kinds::answer(book, call, record),
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
    let handlers = specs.iter().map(|spec| Handler::of(spec, &specs)).collect::<Result<Vec<_>, _>>()?;
    let mut endpoints: Vec<Endpoint> = Vec::with_capacity(specs.len());
    for (spec, handler) in specs.iter().zip(handlers) {
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
            let rules = RequestRules::compile(spec)?;
            let platform_id = platform_id_name(spec);
            endpoints.push(Endpoint {
                route,
                region: info.region.clone(),
                rules,
                handler: handler.clone(),
                platform_id,
            });
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
    if names(SERIAL_NUMBER) && !names(PLAT_FORM_TRADE_NO) { SERIAL_NUMBER } else { PLAT_FORM_TRADE_NO }
}

const PLAT_FORM_TRADE_NO: &str = "platFormTradeNo";
const SERIAL_NUMBER: &str = "serialNumber";

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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_new_kind_is_served_from_its_spec_unless_it_is_named_order() {
        let new_kind = |name: &str, call: &str| {
            let text = format!(
                "[endpoint]\nregion = \"testland\"\nname = \"x\"\nmethod = \"POST\"\npath = \"/x\"\nsource = \"s\"\n\
                 description = \"d\"\nkind = \"{name}\"\ncall = \"{call}\"\nmoney = \"none\"\nrequest = \"R\"\n"
            );
            EndpointSpec::parse(&text, std::path::Path::new("x.toml")).expect("a valid spec")
        };
        for (kind, call) in [("statement", "read"), ("reversal", "create")] {
            let served = endpoints(vec![new_kind(kind, call)], &[]).expect("served");
            assert!(matches!(served[0].handler, Handler::Spec(_)), "{kind}");
        }
        let refused = endpoints(vec![new_kind("order", "create")], &[]).map(|_| ()).expect_err("refused");
        assert!(refused.to_string().contains("spec/testland/x.toml"), "{refused}");
        let checkout = endpoints(taiwan_and_thailand(), &[]).expect("served");
        assert!(checkout.iter().all(|endpoint| matches!(endpoint.handler, Handler::Kind(_))));
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
}

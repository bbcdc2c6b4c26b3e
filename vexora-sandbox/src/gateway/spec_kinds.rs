//! The kinds the sandbox has no handler of its own for, served from their
//! spec's data alone: a create stores a record under the request fields its
//! spec names as keys and moves the balance the way its spec says money
//! moves; the read its `reconcile_with` names finds that record by the
//! same fields (a read of a kind the sandbox knows looks there for what its
//! own handler does not find).

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use vexora_spec::{CallKind, EndpointSpec, MoneyFlow};

use crate::book::Book;
use crate::book::spec_records::{NewSpecRecord, SpecRecord};
use crate::gateway::call::Call;
use crate::gateway::envelope::{Refusal, SandboxCode, data, shorten};

/// How an endpoint of a kind the sandbox does not name is served.
#[derive(Debug, Clone)]
pub(crate) enum SpecHandler {
    Create(SpecCreate),
    Read(SpecRead),
}

/// A create, as its spec describes it.
#[derive(Debug, Clone)]
pub(crate) struct SpecCreate {
    /// `region/name`: the records it makes are its own.
    endpoint: String,
    kind: String,
    money: MoneyFlow,
    /// Wire names of the request fields that identify what it makes.
    keys: Vec<String>,
}

/// A read: what it finds are the records of the creates of new kinds of
/// its region whose `reconcile_with` names it (none, for a read no create
/// names).
#[derive(Debug, Clone)]
pub(crate) struct SpecRead {
    /// `region/name`, for its refusals.
    endpoint: String,
    kind: String,
    creates: Vec<SpecCreate>,
}

impl SpecHandler {
    /// The handler of `spec`, one of `specs`.
    pub(crate) fn of(spec: &EndpointSpec, specs: &[EndpointSpec]) -> Self {
        match spec.endpoint.call {
            CallKind::Create => Self::Create(SpecCreate::of(spec)),
            CallKind::Read => Self::Read(SpecRead::of(spec, specs)),
        }
    }

    /// Serves a request that passed every check; answers the `data`.
    pub(crate) fn handle(&self, book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
        match self {
            Self::Create(create) => create.handle(book, call),
            Self::Read(read) => read.handle(book, call),
        }
    }
}

impl SpecCreate {
    fn of(spec: &EndpointSpec) -> Self {
        Self {
            endpoint: spec.id(),
            kind: spec.endpoint.kind.name().to_owned(),
            money: spec.money(),
            keys: spec.keys().into_iter().map(str::to_owned).collect(),
        }
    }

    /// Stores a processing record under the request's keys, moving money as
    /// the spec says; a second create with the same keys is refused with
    /// the duplicate `tradeNo` code, and nothing is stored.
    fn handle(&self, book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
        let amount = call.fields.text("amount").map(|_| call.amount()).transpose()?;
        let new = NewSpecRecord {
            merchant_no: call.merchant_no.to_owned(),
            region: call.region.to_owned(),
            endpoint: self.endpoint.clone(),
            kind: self.kind.clone(),
            money: self.money,
            keys: self.keys.iter().map(|key| (key.clone(), call.text(key).to_owned())).collect(),
            platform_id_name: call.platform_id,
            amount,
            notify_url: call.fields.text("notifyUrl").map(str::to_owned),
        };
        let hidden_for_ms = call.hidden_for_ms(&self.kind, &new.trade_no());
        let now = book.clock.now_ms();
        let mut state = book.state();
        let record = state.create_record(new, now, book.clock.day_of(now))?;
        record.visible_from_ms = now.saturating_add(hidden_for_ms);
        data(&Answer(record.members(call.platform_id, None)))
    }
}

impl SpecRead {
    /// The read `spec`, one of `specs`, finding what the creates of new
    /// kinds that name it make.
    pub(crate) fn of(spec: &EndpointSpec, specs: &[EndpointSpec]) -> Self {
        let info = &spec.endpoint;
        let creates = specs
            .iter()
            .filter(|create| {
                create.endpoint.region == info.region
                    && create.endpoint.call == CallKind::Create
                    && create.endpoint.kind.known().is_none()
                    && create.endpoint.reconcile_with.as_deref() == Some(info.name.as_str())
            })
            .map(SpecCreate::of)
            .collect();
        Self { endpoint: spec.id(), kind: info.kind.name().to_owned(), creates }
    }

    /// Whether any create of a new kind names this read.
    pub(crate) fn finds_anything(&self) -> bool {
        !self.creates.is_empty()
    }

    /// Finds the merchant's record whose keys are this request's fields of
    /// the same names; answers it with its current status.
    fn handle(&self, book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
        match self.find(book, call) {
            Some(record) => answer(book, call, &record),
            None => Err(self.not_found(call)),
        }
    }

    /// The merchant's record whose keys are this request's fields of the
    /// same names, if one is visible.
    pub(crate) fn find(&self, book: &Book, call: &Call<'_>) -> Option<SpecRecord> {
        let state = book.state();
        let now = book.clock.now_ms();
        self.creates.iter().find_map(|create| {
            let values = create.keys.iter().map(|key| call.text(key).to_owned()).collect();
            state
                .record_by_keys(call.merchant_no, &create.endpoint, values)
                .filter(|record| record.visible_from_ms <= now)
                .cloned()
        })
    }

    /// The unknown-order refusal, naming the fields searched by.
    fn not_found(&self, call: &Call<'_>) -> Refusal {
        let Some(create) = self.creates.first() else {
            return Refusal::new(
                SandboxCode::OrderNotFound,
                format!("{}: no create of its region names it in reconcile_with, so it finds nothing", self.endpoint),
            );
        };
        let searched: Vec<String> =
            create.keys.iter().map(|key| format!("{key} {}", shorten(call.text(key)))).collect();
        let what = if self.creates.len() == 1 { create.kind.as_str() } else { self.kind.as_str() };
        Refusal::new(
            SandboxCode::OrderNotFound,
            format!("{}: no {what} for merchant {}", searched.join(", "), call.merchant_no),
        )
    }
}

/// A record as a create or a read answers it: its members
/// (`SpecRecord::members`, the platform id named as the answering
/// endpoint's `[[data]]` names it) as one JSON object, in order.
struct Answer(Vec<(String, String)>);

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

/// A record as the read of its kind answers it: its keys, the platform id,
/// its status and amount, and when it succeeded.
pub(crate) fn answer(book: &Book, call: &Call<'_>, record: &SpecRecord) -> Result<Box<RawValue>, Refusal> {
    let success_time = record.succeeded_at_ms().map(|at| book.clock.format_local(at));
    data(&Answer(record.members(call.platform_id, success_time)))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use super::*;
    use crate::book::calendar::LocalDay;
    use crate::book::clock::SandboxClock;
    use crate::book::money::Cents;
    use crate::book::records::NewOrder;
    use crate::book::spec_records::SpecRecord;
    use crate::book::state::State;
    use crate::book::status::ProcessStatus;
    use crate::gateway::body::Fields;
    use crate::gateway::routing::Handler;

    /// A spec of testland: `endpoint` lines, then a request field per name.
    fn spec(endpoint: &str, fields: &[&str]) -> EndpointSpec {
        let mut text = format!(
            "[endpoint]\nregion = \"testland\"\nmethod = \"POST\"\nsource = \"s\"\ndescription = \"d\"\nrequest = \"R\"\n{endpoint}\n"
        );
        for field in fields {
            text.push_str(&format!(
                "[[request]]\nname = \"{field}\"\nrequired = false\ntype = \"string\"\ndescription = \"f\"\n"
            ));
        }
        EndpointSpec::parse(&text, Path::new("test.toml")).expect("a valid spec")
    }

    /// A create of the new kind `name`, keyed by `tradeNo`, moving no money,
    /// found by the read `read`.
    fn found_by(name: &str, read: &str) -> EndpointSpec {
        spec(
            &format!(
                "name = \"{name}\"\npath = \"/{name}\"\nkind = \"{name}\"\ncall = \"create\"\nmoney = \"none\"\n\
                 keys = [\"tradeNo\"]\nreconcile_with = \"{read}\""
            ),
            &["tradeNo", "amount"],
        )
    }

    fn specs() -> Vec<EndpointSpec> {
        vec![
            spec(
                "name = \"refund\"\npath = \"/refund\"\nkind = \"refund\"\ncall = \"create\"\nmoney = \"back\"\n\
                 keys = [\"tradeNo\", \"refundNo\"]\nreconcile_with = \"refund-query\"",
                &["tradeNo", "refundNo", "amount", "notifyUrl"],
            ),
            spec(
                "name = \"refund-query\"\npath = \"/refundQuery\"\nkind = \"refund-query\"\ncall = \"read\"\nmoney = \"none\"",
                &["tradeNo", "refundNo"],
            ),
            spec(
                "name = \"statement\"\npath = \"/statement\"\nkind = \"statement\"\ncall = \"read\"\nmoney = \"none\"",
                &["day"],
            ),
            // New kinds found by reads the sandbox answers itself.
            found_by("top-up", "query"),
            spec("name = \"query\"\npath = \"/query\"\nkind = \"pay-in-query\"\ncall = \"read\"", &["tradeNo"]),
            found_by("transfer", "payout-query"),
            spec(
                "name = \"payout-query\"\npath = \"/payoutQuery\"\nkind = \"payout-query\"\ncall = \"read\"",
                &["tradeNo"],
            ),
        ]
    }

    fn book() -> Book {
        let mut state = State::default();
        state.set_opening_balance("M", Cents::whole(100).expect("fits"));
        Book::new(HashMap::from([("M".to_owned(), "secret".to_owned())]), state, SandboxClock::new(0, 480))
    }

    /// Serves `body` at the endpoint `name` with its handler, as the router
    /// does: the `data`, or the refusal's code and message.
    fn serve(book: &Book, name: &str, body: &str) -> Result<String, (SandboxCode, String)> {
        let specs = specs();
        let spec = specs.iter().find(|spec| spec.endpoint.name == name).expect("the endpoint");
        let fields = Fields::parse(body.as_bytes()).expect("a valid body");
        let call = Call {
            merchant_no: "M",
            region: "testland",
            fields: &fields,
            platform_id: "platFormTradeNo",
            public_url: "http://127.0.0.1:9",
            visibility_delay: None,
            hidden_for_ms: 0,
        };
        Handler::of(spec, &specs)
            .expect("a handler")
            .handle(book, &call)
            .map(|data| data.get().to_owned())
            .map_err(|refusal| (refusal.code, refusal.message))
    }

    #[test]
    fn a_read_finds_what_the_create_naming_it_made_by_its_keys() {
        let book = book();
        let made = serve(&book, "refund", r#"{"tradeNo":"T1","refundNo":"R1","amount":"30"}"#).expect("made");
        let id = book.state().records()[0].platform_id.clone();
        assert_eq!(
            made,
            format!(r#"{{"tradeNo":"T1","refundNo":"R1","platFormTradeNo":"{id}","status":"0015","amount":"30.00"}}"#)
        );
        assert_eq!(serve(&book, "refund-query", r#"{"refundNo":"R1","tradeNo":"T1"}"#), Ok(made));
        assert_eq!(
            serve(&book, "refund-query", r#"{"tradeNo":"T1","refundNo":"R2"}"#),
            Err((SandboxCode::OrderNotFound, "tradeNo T1, refundNo R2: no refund for merchant M".to_owned()))
        );
        assert_eq!(
            serve(&book, "refund", r#"{"tradeNo":"T1","refundNo":"R1","amount":"1"}"#).map_err(|(code, _)| code),
            Err(SandboxCode::DuplicateTradeNo)
        );
        assert_eq!(
            serve(&book, "refund", r#"{"tradeNo":"T1","refundNo":"R3","amount":"0.001"}"#).map_err(|(code, _)| code),
            Err(SandboxCode::InvalidField)
        );
        assert_eq!(
            serve(&book, "refund", r#"{"tradeNo":"T1","refundNo":"R3","amount":"71"}"#).map_err(|(code, _)| code),
            Err(SandboxCode::InsufficientBalance),
            "30 of 100 are held"
        );
    }

    #[test]
    fn a_read_no_create_names_answers_that_it_finds_nothing() {
        assert_eq!(
            serve(&book(), "statement", r#"{"day":"2026-11-26"}"#),
            Err((
                SandboxCode::OrderNotFound,
                "testland/statement: no create of its region names it in reconcile_with, so it finds nothing"
                    .to_owned()
            ))
        );
    }

    #[test]
    fn a_read_the_sandbox_answers_itself_also_finds_the_new_kinds_that_name_it() {
        let book = book();
        serve(&book, "top-up", r#"{"tradeNo":"T1","amount":"20"}"#).expect("made");
        let id = book.state().records()[0].platform_id.clone();
        assert_eq!(
            serve(&book, "query", r#"{"tradeNo":"T1"}"#),
            Ok(format!(
                r#"{{"tradeNo":"T1","platFormTradeNo":"{id}","status":"0015","amount":"0.00","message":"processing"}}"#
            )),
            "found among the records, answered as the pay-in query answers: nothing paid yet"
        );
        book.state().settle_record(&id, true, 0, LocalDay(0)).expect("finished");
        let paid = serve(&book, "query", r#"{"tradeNo":"T1"}"#).expect("found");
        assert!(paid.ends_with(r#""status":"0000","amount":"20.00","message":"success"}"#), "all of it paid: {paid}");
        assert_eq!(
            serve(&book, "query", r#"{"tradeNo":"T2"}"#),
            Err((SandboxCode::OrderNotFound, "tradeNo: no order T2 for merchant M".to_owned())),
            "neither an order nor a record: the query's own refusal"
        );
        serve(&book, "transfer", r#"{"tradeNo":"T9","amount":"7"}"#).expect("made");
        let id = book.state().records()[1].platform_id.clone();
        assert_eq!(
            serve(&book, "payout-query", r#"{"tradeNo":"T9"}"#),
            Ok(format!(
                r#"{{"tradeNo":"T9","platFormTradeNo":"{id}","amount":"7.00","status":"0015","message":"processing"}}"#
            )),
            "answered as the payout query answers"
        );
        // An order of that trade number is the query's own answer.
        let order = NewOrder {
            merchant_no: "M".into(),
            region: "testland".into(),
            trade_no: "T3".into(),
            amount: Cents::whole(5).expect("fits"),
            remark: None,
            channel: None,
            ip_address: String::new(),
            notify_url: "http://127.0.0.1:9/n".into(),
            return_url: "http://127.0.0.1:9/r".into(),
        };
        book.state().create_order(order, 0, LocalDay(0), |id| format!("/cashier/{id}")).expect("created");
        let found = serve(&book, "query", r#"{"tradeNo":"T3"}"#).expect("the order");
        assert!(found.contains(r#""status":"0015","amount":"0.00","message":"Paying""#), "{found}");
        // Which reads look among the records: those a new kind names.
        let specs = specs();
        let refund_query = specs.iter().find(|spec| spec.endpoint.name == "refund-query").expect("the spec");
        assert!(SpecRead::of(refund_query, &specs).finds_anything());
        let mut without_top_up = specs.clone();
        without_top_up.retain(|spec| spec.endpoint.name != "top-up");
        let query = specs.iter().find(|spec| spec.endpoint.name == "query").expect("the spec");
        assert!(!SpecRead::of(query, &without_top_up).finds_anything());
        assert!(SpecRead::of(query, &specs).finds_anything());
    }

    fn record(keys: &[(&str, &str)], amount: Option<&str>) -> SpecRecord {
        SpecRecord {
            merchant_no: "M".into(),
            region: "testland".into(),
            endpoint: "testland/refund".into(),
            kind: "refund".into(),
            money: MoneyFlow::Back,
            keys: keys.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect(),
            platform_id: "c167o1itir0fypid".into(),
            platform_id_name: "platFormTradeNo",
            status: ProcessStatus::Processing,
            amount: amount.and_then(Cents::parse),
            notify_url: None,
            created_at_ms: 0,
            visible_from_ms: 0,
            finished_at_ms: None,
        }
    }

    fn answer(record: &SpecRecord, platform_id_name: &'static str, success_time: Option<&str>) -> String {
        data(&Answer(record.members(platform_id_name, success_time.map(str::to_owned))))
            .map(|raw| raw.get().to_owned())
            .unwrap_or_else(|refusal| refusal.message)
    }

    #[test]
    fn an_answer_is_the_keys_in_order_then_the_id_status_and_amount() {
        let refund = record(&[("tradeNo", "T1"), ("refundNo", "R1")], Some("12.5"));
        assert_eq!(
            answer(&refund, "platFormTradeNo", None),
            r#"{"tradeNo":"T1","refundNo":"R1","platFormTradeNo":"c167o1itir0fypid","status":"0015","amount":"12.50"}"#
        );
        assert_eq!(
            answer(&record(&[("refundNo", "R1")], None), "serialNumber", Some("2026-11-26 15:04:05")),
            r#"{"refundNo":"R1","serialNumber":"c167o1itir0fypid","status":"0015","successTime":"2026-11-26 15:04:05"}"#
        );
    }

    #[test]
    fn a_key_named_like_a_member_of_the_answer_is_written_once() {
        let odd = record(&[("status", "S"), ("platFormTradeNo", "P")], Some("1"));
        assert_eq!(answer(&odd, "platFormTradeNo", None), r#"{"status":"S","platFormTradeNo":"P","amount":"1.00"}"#);
    }
}

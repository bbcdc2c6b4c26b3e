//! Everything kept for a person raises a tracing event at WARN or above.

use std::sync::{Mutex, OnceLock};

use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

use vexora::Client;
use vexora::transport::ReqwestTransport;
use vexora_ledger::{Intent, Kind, Ledger, Observation, Options, Outcome, Reconciler, RecordKeys, Settled};

on_both_databases!(an_unknown_trade_no_raises_a_warning, a_create_no_read_can_find_raises_a_warning);

/// Every event's level and fields, as text, for the whole test binary.
static EVENTS: Mutex<Vec<(Level, String)>> = Mutex::new(Vec::new());

struct Recorder;

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        EVENTS.lock().expect("the event list").push((*event.metadata().level(), fields.0));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

fn record_events() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| tracing::subscriber::set_global_default(Recorder).expect("the only subscriber"));
}

async fn an_unknown_trade_no_raises_a_warning(url: &str) {
    record_events();
    let ledger = Ledger::connect(url).await.expect("the ledger");
    // Unique per database, since both tests share the recorder.
    let trade_no = format!("STRANGER-{}", url.split(':').next().unwrap_or_default());
    let observation = Observation::not_found(Kind::Payout, RecordKeys::trade_no(trade_no.as_str()));
    assert!(matches!(ledger.settle(&observation).await.expect("settled"), Settled::NeedsAttention { .. }));
    let events = EVENTS.lock().expect("the event list").clone();
    let warned = events.iter().filter(|(level, fields)| *level <= Level::WARN && fields.contains(&trade_no)).count();
    assert_eq!(warned, 1, "{events:?}");
}

async fn a_create_no_read_can_find_raises_a_warning(url: &str) {
    record_events();
    let mut options = Options::default();
    options.intent_grace = Duration::ZERO;
    let ledger = Ledger::connect_with(url, options).await.expect("the ledger");
    let trade_no = format!("SUBMIT-{}", url.split(':').next().unwrap_or_default());
    let keys = RecordKeys::trade_no(trade_no.as_str());
    let intent = Intent::new(Kind::PayIn, "0000000001", "bangladesh/payment-submit", keys, 300.into(), "h");
    ledger.record_intent(&intent).await.expect("recorded");

    // No client at all: a submit is never looked up, let alone resent.
    let reconciler = Reconciler::new(ledger.clone(), |_: &str| None::<Client<ReqwestTransport>>);
    let summary = reconciler.reconcile_once().await.expect("a pass");
    assert!(matches!(summary.examined[0].outcome, Outcome::NeedsPerson { .. }), "{summary}");
    assert!(summary.all_known());
    assert_eq!(ledger.needs_attention().await.expect("listed").len(), 1);
    let events = EVENTS.lock().expect("the event list").clone();
    let warned = events.iter().filter(|(level, fields)| *level <= Level::WARN && fields.contains(&trade_no)).count();
    assert_eq!(warned, 1, "{events:?}");
}

//! Two receiver processes and two reconciler workers on one database at
//! once, every notification delivered to both receivers at the same moment
//! while the workers query the same records.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use vexora::Client;
use vexora::transport::ReqwestTransport;
use vexora_ledger::{Event, Kind, Ledger, Record, State};
use vexora_sandbox::{DeliveryOutcome, NotificationLoss, RunningSandbox};

use crate::books::{self, Tally};
use crate::children::Child;
use crate::gateway::{self, Create, GatewayBooks, Path};
use crate::relay::Relay;
use crate::roles::Role;

const CHECKOUTS: usize = 60;
const PAYOUTS: usize = 30;
/// One create in this many loses its answer after the sandbox made it.
const ANSWER_LOST_EVERY: usize = 5;
const LOSS: NotificationLoss = NotificationLoss { percent: 30, seed: 23 };
/// How long after an intent the workers trust "no such order": far longer
/// than a create takes, so a worker that queries a create still being made
/// waits for it instead of keeping it for a person.
const SETTLE_DELAY: Duration = Duration::from_secs(5);

pub async fn two_receivers_and_two_workers(url: String) {
    let sandbox = gateway::sandbox(Some(LOSS)).await;
    let gateway_url = sandbox.base_url("taiwan");
    let ledger = books::connect(&url).await;
    books::create_shop_table(&ledger).await;
    let relay = Relay::start().await;

    let mut children = Vec::new();
    for name in ["receiver-1", "receiver-2"] {
        children.push((name, Child::start(name, &Role::Receiver { database: url.clone(), name: name.into() })));
    }
    for name in ["worker-1", "worker-2"] {
        let role = Role::Reconciler {
            database: url.clone(),
            gateway: gateway_url.clone(),
            worker: name.into(),
            settle_delay: SETTLE_DELAY,
        };
        children.push((name, Child::start(name, &role)));
    }
    let mut receivers = Vec::new();
    for (name, child) in &mut children {
        if name.starts_with("receiver") {
            receivers.push(child.listening().await);
        } else {
            child.said("ready").await;
        }
    }
    relay.forward_to(receivers);

    let client = gateway::client(&gateway_url);
    let parent = Arc::new(Mutex::new(Tally::default()));
    let creates = create_and_finish(&sandbox, &ledger, &client, &relay, &parent).await;
    settled(&sandbox, &ledger, &creates).await;

    let mut reports = BTreeMap::new();
    for (name, child) in children {
        reports.insert(name.to_owned(), child.stop().await);
    }
    reports.insert("parent".to_owned(), *parent.lock().unwrap_or_else(PoisonError::into_inner));
    println!("  applied by each process: {}", books::shown(&reports));

    let records = books::histories(&ledger).await;
    let payouts: Vec<String> =
        creates.iter().filter(|create| create.kind == Kind::Payout).map(|create| create.trade_no.clone()).collect();
    let gateway = GatewayBooks::read(&sandbox, &client, &payouts).await;
    assert_eq!(gateway.records.len(), CHECKOUTS + PAYOUTS, "one order per checkout, one payout per payout");
    books::check_agrees_with_gateway(&records, &gateway);
    books::check_shop(&ledger, &records, &reports).await;
    let all = Tally::sum(reports.values().copied());
    assert_eq!(
        (all.credited, all.debited),
        (gateway.total(Kind::PayIn), gateway.total(Kind::Payout)),
        "what the processes applied, together, is what the gateway moved"
    );
    let workers = Tally::sum(reports.iter().filter(|(name, _)| name.starts_with("worker")).map(|(_, tally)| *tally));
    let receivers =
        Tally::sum(reports.iter().filter(|(name, _)| name.starts_with("receiver")).map(|(_, tally)| *tally));
    assert!(workers.applied > 0 && receivers.applied > 0, "both kinds of process settled: {}", books::shown(&reports));
    check_lost_notifications_found_by_queries(&records);
    assert!(relay.acknowledged() > 0, "deliveries reached both receivers");
    let attention = ledger.needs_attention().await.expect("listed");
    assert!(attention.is_empty(), "nothing kept for a person: {attention:#?}");
}

/// Records each create's intent, sends it with the resolving create while
/// the sandbox loses some answers, settles the answer as the parent's own
/// process, and has the payer or the bank finish it.
async fn create_and_finish(
    sandbox: &RunningSandbox,
    ledger: &Ledger,
    client: &Client<ReqwestTransport>,
    relay: &Relay,
    tally: &Arc<Mutex<Tally>>,
) -> Vec<Create> {
    let code = books::merchant_books("parent".to_owned(), Arc::clone(tally), false);
    let mut creates = Vec::new();
    let mut found_existing = 0;
    for n in 0..CHECKOUTS + PAYOUTS {
        let (kind, route, path, actions) = if n < CHECKOUTS {
            (Kind::PayIn, "pay-in", "/taiwan/v1/vexora/checkout", &["pay", "pay", "partial", "fail", "pay"][..])
        } else {
            (Kind::Payout, "payout", "/taiwan/v1/vexora/disbursements", &["pay", "pay", "fail"][..])
        };
        if n % ANSWER_LOST_EVERY == 0 {
            gateway::lose_next_answer(sandbox, path).await;
        }
        let create = Create::new(kind, n, &relay.url(route));
        ledger.record_intent(&create.intent()).await.expect("the intent is recorded");
        let (path, answer) = create.send(client).await;
        found_existing += usize::from(path == Path::FoundExisting);
        ledger.settle_with(&answer, &code).await.expect("the answer is settled");
        gateway::finish(sandbox.addr(), &create, actions[n % actions.len()]).await;
        creates.push(create);
    }
    assert_eq!(found_existing, (CHECKOUTS + PAYOUTS) / ANSWER_LOST_EVERY, "every lost answer was found by a query");
    creates
}

/// Waits until the ledger knows how every record ended and every
/// notification the sandbox did not lose was acknowledged.
async fn settled(sandbox: &RunningSandbox, ledger: &Ledger, creates: &[Create]) {
    books::eventually("nothing unknown in the ledger", || async {
        let records = ledger.records().await.expect("the records");
        records
            .iter()
            .all(|record| !matches!(record.state, State::Intent | State::Unknown | State::NotFound | State::Processing))
    })
    .await;
    books::eventually("every notification not lost acknowledged", || async {
        let acknowledged: HashSet<String> = sandbox
            .deliveries()
            .into_iter()
            .filter(|delivery| matches!(delivery.outcome, DeliveryOutcome::Acknowledged))
            .map(|delivery| delivery.trade_no)
            .collect();
        let sent = creates.iter().filter(|create| !lost(create.kind, &create.trade_no));
        sent.into_iter().all(|create| acknowledged.contains(&create.trade_no))
    })
    .await;
}

/// Whether the sandbox loses the notifications of this record.
fn lost(kind: Kind, trade_no: &str) -> bool {
    LOSS.loses(if kind == Kind::PayIn { "order" } else { "payout" }, trade_no)
}

/// What the sandbox never told anyone was learnt by a worker's query: the
/// last observation that moved such a record is a query result.
fn check_lost_notifications_found_by_queries(records: &[(Record, Vec<Event>)]) {
    let mut found = 0;
    for (record, history) in records {
        let trade_no = books::trade_no(record);
        if !lost(record.kind, &trade_no) {
            continue;
        }
        let last_move =
            history.iter().rev().find(|event| (event.old_state, event.old_paid) != (event.new_state, event.new_paid));
        let source = last_move.map(|event| event.source.as_str());
        assert_eq!(source, Some("query"), "{trade_no}: its notification was lost: {history:#?}");
        found += 1;
    }
    assert!(found > 0, "some notifications were lost");
}

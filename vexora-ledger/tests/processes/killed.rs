//! Processes killed with SIGKILL half-way, and what a restart does: creates
//! killed after recording the intent and after sending, then a receiver
//! killed in the middle of a stream of notifications.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use vexora::Client;
use vexora::transport::ReqwestTransport;
use vexora_ledger::{Kind, Ledger, Money, Observation, RecordKeys, State};
use vexora_sandbox::{DeliveryOutcome, RunningSandbox};

use crate::books::{self, Tally};
use crate::children::Child;
use crate::gateway::{self, Create, GatewayBooks, Path};
use crate::relay::Relay;
use crate::roles::{Point, Role};

/// Nobody listens there: the notifications of what is sent with it are lost.
const LOST: &str = "http://127.0.0.1:9/notify";
/// Orders paid in the stream a receiver is killed in.
const STREAM: usize = 40;
/// The receiver is killed once it has applied this many of them.
const KILL_AFTER: usize = 8;

/// What the parent works with.
struct World {
    url: String,
    sandbox: RunningSandbox,
    client: Client<ReqwestTransport>,
    ledger: Ledger,
    relay: Relay,
    /// What the parent's own settlements applied.
    parent: Arc<Mutex<Tally>>,
}

pub async fn killed_processes(url: String) {
    let sandbox = gateway::sandbox(None).await;
    let client = gateway::client(&sandbox.base_url("taiwan"));
    let ledger = books::connect(&url).await;
    books::create_shop_table(&ledger).await;
    let relay = Relay::start().await;
    let world = World { url, sandbox, client, ledger, relay, parent: Arc::default() };
    let mut receiver = Child::start("receiver-1", &world.receiver("receiver-1"));
    world.relay.forward_to(vec![receiver.listening().await]);

    let in_flight = world.kill_creates().await;
    let worker = world.restart(&in_flight).await;
    let (stream, successor) = world.kill_receiver_mid_stream(receiver).await;

    let mut reports = BTreeMap::from([("worker-1".to_owned(), worker), ("receiver-2".to_owned(), successor)]);
    reports.insert("parent".to_owned(), *world.parent.lock().unwrap_or_else(PoisonError::into_inner));
    let records = books::histories(&world.ledger).await;
    let payouts: Vec<String> = in_flight
        .iter()
        .filter(|(_, create)| create.kind == Kind::Payout)
        .map(|(_, create)| create.trade_no.clone())
        .collect();
    let gateway = GatewayBooks::read(&world.sandbox, &world.client, &payouts).await;
    assert_eq!(gateway.records.len(), in_flight.len() + stream.len(), "one order or payout per tradeNo");
    books::check_agrees_with_gateway(&records, &gateway);
    let written = books::check_shop(&world.ledger, &records, &reports).await;
    let killed = written.get("receiver-1").copied().unwrap_or_default();
    println!("  receiver-1 committed {} before it was killed; {}", killed.applied, books::shown(&reports));
    world.check_kept_for_a_person(&in_flight).await;
}

impl World {
    fn receiver(&self, name: &str) -> Role {
        Role::Receiver { database: self.url.clone(), name: name.to_owned() }
    }

    /// Four creates, each in a process of its own, killed after recording
    /// the intent (a checkout and a payout, notified through the relay) or
    /// after the gateway made it and answered (notified nowhere, so only a
    /// query can settle them).
    async fn kill_creates(&self) -> Vec<(Point, Create)> {
        let in_flight = vec![
            (Point::AfterIntent, Create::new(Kind::PayIn, 0, &self.relay.url("pay-in"))),
            (Point::AfterSend, Create::new(Kind::PayIn, 1, LOST)),
            (Point::AfterIntent, Create::new(Kind::Payout, 2, &self.relay.url("payout"))),
            (Point::AfterSend, Create::new(Kind::Payout, 3, LOST)),
        ];
        let gateway = self.sandbox.base_url("taiwan");
        let mut children = Vec::new();
        for (point, create) in &in_flight {
            let name = format!("create {} {}", create.trade_no, point.as_str());
            let role = Role::CreateUntil {
                point: *point,
                database: self.url.clone(),
                gateway: gateway.clone(),
                create: create.clone(),
            };
            children.push((*point, Child::start(&name, &role)));
        }
        for (point, child) in &mut children {
            assert_eq!(child.said("reached ").await, point.as_str());
        }
        for (_, child) in children {
            child.kill();
        }
        for (point, create) in &in_flight {
            let (state, _) = self.state(create).await;
            assert_eq!(
                state,
                State::Intent,
                "{}: killed {}, nothing recorded after the intent",
                create.trade_no,
                point.as_str()
            );
            let made = gateway::holds(&self.sandbox, &self.client, create).await;
            assert_eq!(made, *point == Point::AfterSend, "{}: made at the gateway only once sent", create.trade_no);
        }
        in_flight
    }

    /// The gateway finishes what it made; a new reconciler process settles
    /// those and keeps the never-sent ones for a person; the merchant's
    /// restart logic sends all four again (same request, same `tradeNo`):
    /// the never-sent ones are made now, the others are found. Returns the
    /// worker's report.
    async fn restart(&self, in_flight: &[(Point, Create)]) -> Tally {
        for (_, create) in in_flight.iter().filter(|(point, _)| *point == Point::AfterSend) {
            gateway::finish(self.sandbox.addr(), create, "pay").await;
        }
        let role = Role::Reconciler {
            database: self.url.clone(),
            gateway: self.sandbox.base_url("taiwan"),
            worker: "worker-1".to_owned(),
            settle_delay: Duration::ZERO,
        };
        let mut worker = Child::start("worker-1", &role);
        worker.said("ready").await;
        books::eventually("the reconciler settles what the gateway made and finds the rest missing", || async {
            let mut done = true;
            for (point, create) in in_flight {
                let expected = match point {
                    Point::AfterIntent => (State::NotFound, Money::ZERO),
                    Point::AfterSend => (State::Paid, create.amount()),
                };
                done &= self.state(create).await == expected;
            }
            done
        })
        .await;
        let report = worker.stop().await;
        let sent: Vec<&Create> =
            in_flight.iter().filter(|(point, _)| *point == Point::AfterSend).map(|(_, c)| c).collect();
        let credited = sent.iter().filter(|create| create.kind == Kind::PayIn).map(|create| create.amount());
        let debited = sent.iter().filter(|create| create.kind == Kind::Payout).map(|create| create.amount());
        let expected = Tally { applied: in_flight.len(), credited: sum(credited), debited: sum(debited) };
        assert_eq!(report, expected, "the worker settled each record once");
        self.check_kept_for_a_person(in_flight).await;

        for (point, create) in in_flight {
            // The same request: the same intent, so no conflict.
            self.ledger.record_intent(&create.intent()).await.expect("the same intent again");
            let (path, answer) = create.send(&self.client).await;
            let expected = if *point == Point::AfterIntent { Path::Created } else { Path::FoundExisting };
            assert_eq!(path, expected, "{}: sent again after being killed {}", create.trade_no, point.as_str());
            self.settle(&answer).await;
        }
        for (_, create) in in_flight.iter().filter(|(point, _)| *point == Point::AfterIntent) {
            gateway::finish(self.sandbox.addr(), create, "pay").await;
        }
        books::eventually("the resent ones are paid through the receiver", || async {
            let mut paid = true;
            for (_, create) in in_flight {
                paid &= self.state(create).await == (State::Paid, create.amount());
            }
            paid
        })
        .await;
        report
    }

    /// A stream of paid orders notified to `receiver`, killed once it has
    /// applied a few; a new receiver takes its place at the relay, and the
    /// gateway's retries bring the rest. Returns the stream and the new
    /// receiver's report.
    async fn kill_receiver_mid_stream(&self, mut receiver: Child) -> (Vec<Create>, Tally) {
        let stream: Vec<Create> =
            (0..STREAM).map(|n| Create::new(Kind::PayIn, 10 + n, &self.relay.url("pay-in"))).collect();
        for create in &stream {
            self.ledger.record_intent(&create.intent()).await.expect("the intent is recorded");
            let (_, answer) = create.send(&self.client).await;
            self.settle(&answer).await;
        }
        let sandbox = self.sandbox.addr();
        let to_pay = stream.clone();
        let paying = tokio::spawn(async move {
            for create in &to_pay {
                gateway::finish(sandbox, create, "pay").await;
            }
        });
        let names: HashSet<String> = stream.iter().map(|create| create.trade_no.clone()).collect();
        let of_the_stream = |line: &str| line.strip_prefix("applied pay_in ").is_some_and(|name| names.contains(name));
        for _ in 0..KILL_AFTER {
            receiver.line_where("an order of the stream applied", of_the_stream).await;
        }
        receiver.kill();
        let mut successor = Child::start("receiver-2", &self.receiver("receiver-2"));
        self.relay.forward_to(vec![successor.listening().await]);
        paying.await.expect("every order of the stream is paid at the gateway");

        books::eventually("every order of the stream paid in the books and acknowledged", || async {
            let mut paid = true;
            for create in &stream {
                paid &= self.state(create).await == (State::Paid, create.amount());
            }
            paid && self.unacknowledged(&names).is_empty()
        })
        .await;
        let interrupted: BTreeSet<String> = self
            .sandbox
            .deliveries()
            .into_iter()
            .filter(|delivery| names.contains(&delivery.trade_no))
            .filter(|delivery| !matches!(delivery.outcome, DeliveryOutcome::Acknowledged))
            .map(|delivery| delivery.trade_no)
            .collect();
        assert!(!interrupted.is_empty(), "the kill interrupted the stream: some deliveries had to be retried");
        println!("  {} of {STREAM} notifications of the stream retried after the kill", interrupted.len());
        (stream, successor.stop().await)
    }

    /// The `tradeNo`s in `names` whose notification was never acknowledged.
    fn unacknowledged(&self, names: &HashSet<String>) -> HashSet<String> {
        let acknowledged: HashSet<String> = self
            .sandbox
            .deliveries()
            .into_iter()
            .filter(|delivery| matches!(delivery.outcome, DeliveryOutcome::Acknowledged))
            .map(|delivery| delivery.trade_no)
            .collect();
        names.difference(&acknowledged).cloned().collect()
    }

    /// Kept for a person: the creates the gateway never saw (as designed:
    /// the reconciler never resends), and nothing else.
    async fn check_kept_for_a_person(&self, in_flight: &[(Point, Create)]) {
        let kept: BTreeSet<(Kind, String, String)> = self
            .ledger
            .needs_attention()
            .await
            .expect("listed")
            .into_iter()
            .map(|attention| {
                (attention.kind, attention.keys.get("tradeNo").unwrap_or_default().to_owned(), attention.source)
            })
            .collect();
        let never_sent: BTreeSet<(Kind, String, String)> = in_flight
            .iter()
            .filter(|(point, _)| *point == Point::AfterIntent)
            .map(|(_, create)| (create.kind, create.trade_no.clone(), "reconciler".to_owned()))
            .collect();
        assert_eq!(kept, never_sent, "kept for a person: what was never sent, and nothing else");
    }

    async fn state(&self, create: &Create) -> (State, Money) {
        let keys = RecordKeys::trade_no(&create.trade_no);
        let record = self.ledger.record(create.kind, &keys).await.expect("read").expect("recorded");
        (record.state, record.paid)
    }

    /// Settles a create's answer in the parent, with the merchant's code.
    async fn settle(&self, answer: &Observation) {
        let code = books::merchant_books("parent".to_owned(), Arc::clone(&self.parent), false);
        self.ledger.settle_with(answer, code).await.expect("the answer is settled");
    }
}

fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    amounts.fold(Money::ZERO, |sum, amount| sum.checked_add(amount).expect("fits"))
}

//! Every invariant of the books, written once and run on SQLite and on
//! Postgres (see `common`).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use vexora::AppSecret;
use vexora::data::PayInResult;
use vexora::notification::{PayInNotification, PayoutNotification, Verifier, signature};
use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
use vexora::types::{Amount, TradeNo};
use vexora_ledger::{
    BoxError, BoxFuture, Change, Error, Intent, Kind, Ledger, Money, Observation, Options, RecordKeys, Settled, State,
    Transaction,
};

const SECRET: &str = "test-app-secret-123";
const MERCHANT: &str = "0000000001";

on_both_databases!(
    an_intent_survives_a_crash,
    an_intent_holds_no_payer_data,
    the_same_notification_twice_is_applied_once,
    a_query_and_a_notification_that_both_say_paid_credit_once,
    two_partial_payments_credit_their_sum_in_either_order,
    a_late_0015_after_0000_changes_nothing,
    not_found_then_paid_is_credited,
    a_create_sent_again_after_not_found_is_looked_at_again,
    an_unknown_trade_no_is_kept_for_a_person,
    a_payout_and_a_pay_in_with_one_trade_no_are_both_applied,
    the_merchants_tables_commit_with_the_ledger_or_not_at_all,
    two_tasks_settling_one_observation_apply_it_once,
    racing_observations_of_one_record_each_move_it_once,
    two_workers_never_claim_one_row_and_an_expired_lease_is_taken_over,
    amounts_are_compared_by_value_and_differences_are_exact,
    a_claimed_record_never_blocks_a_receiver_and_settles_through_the_same_path,
    several_processes_starting_at_once_migrate_once,
    books_kept_before_the_last_migration_keep_their_history,
    every_call_runs_on_a_spawned_task,
);

async fn open(url: &str) -> Ledger {
    let ledger = Ledger::connect(url).await.expect("the ledger opens");
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS shop_moves (trade_no TEXT NOT NULL, kind TEXT NOT NULL, amount TEXT NOT NULL, \
         state TEXT NOT NULL)",
    )
    .execute(ledger.pool())
    .await
    .expect("the shop's table");
    ledger
}

fn keys(trade_no: &str) -> RecordKeys {
    RecordKeys::trade_no(trade_no)
}

async fn intend(ledger: &Ledger, kind: Kind, trade_no: &str, amount: &str) {
    let amount = Money::parse(amount).expect("a step of the test");
    let intent = Intent::new(kind, MERCHANT, "taiwan/checkout", keys(trade_no), amount, format!("hash-{trade_no}"));
    ledger.record_intent(&intent).await.expect("the intent is recorded");
}

/// A notification body signed with the shop's secret.
fn signed(trade_no: &str, status: &str, amount: &str) -> Vec<u8> {
    let unsigned = format!(
        r#"{{"tradeNo":"{trade_no}","platFormTradeNo":"p{trade_no}","status":"{status}","amount":"{amount}"}}"#
    );
    let sign = signature(unsigned.as_bytes(), &AppSecret::new(SECRET)).expect("a step of the test");
    format!(r#"{},"sign":"{sign}"}}"#, unsigned.trim_end_matches('}')).into_bytes()
}

fn pay_in(trade_no: &str, status: &str, amount: &str) -> Observation {
    let notification: PayInNotification =
        Verifier::new(AppSecret::new(SECRET)).pay_in(&signed(trade_no, status, amount)).expect("a step of the test");
    Observation::pay_in_notification(&notification).expect("a step of the test")
}

fn payout(trade_no: &str, status: &str, amount: &str) -> Observation {
    let notification: PayoutNotification =
        Verifier::new(AppSecret::new(SECRET)).payout(&signed(trade_no, status, amount)).expect("a step of the test");
    Observation::payout_notification(&notification).expect("a step of the test")
}

fn pay_in_query(trade_no: &str, status: &str, amount: &str) -> Observation {
    let json = format!(
        r#"{{"tradeNo":"{trade_no}","platFormTradeNo":"p{trade_no}","status":"{status}","amount":"{amount}"}}"#
    );
    let result: PayInResult = serde_json::from_str(&json).expect("a step of the test");
    Observation::pay_in_query(&result).expect("a step of the test")
}

/// The merchant's code: one row in `shop_moves` per credit or debit.
fn shop_books<'t>(tx: &'t mut Transaction, change: &'t Change) -> BoxFuture<'t, Result<(), BoxError>> {
    Box::pin(async move {
        let moved = change.credit().or(change.debit());
        if let Some(amount) = moved {
            sqlx::query("INSERT INTO shop_moves (trade_no, kind, amount, state) VALUES ($1, $2, $3, $4)")
                .bind(change.keys.get("tradeNo").unwrap_or_default().to_owned())
                .bind(change.kind.as_str())
                .bind(amount.to_string())
                .bind(change.new_state.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    })
}

async fn settle(ledger: &Ledger, observation: &Observation) -> Settled {
    ledger.settle_with(observation, shop_books).await.expect("settled")
}

/// What the shop moved for `trade_no` of `kind`: the rows' exact sum, and how many.
async fn moved(ledger: &Ledger, kind: Kind, trade_no: &str) -> (Money, usize) {
    let amounts: Vec<String> = sqlx::query_scalar("SELECT amount FROM shop_moves WHERE trade_no = $1 AND kind = $2")
        .bind(trade_no)
        .bind(kind.as_str())
        .fetch_all(ledger.pool())
        .await
        .expect("a step of the test");
    let total: rust_decimal::Decimal =
        amounts.iter().map(|text| rust_decimal::Decimal::from_str_exact(text).expect("a step of the test")).sum();
    (Money::parse(&total.to_string()).expect("a step of the test"), amounts.len())
}

async fn record(ledger: &Ledger, kind: Kind, trade_no: &str) -> (State, Money) {
    let record = ledger.record(kind, &keys(trade_no)).await.expect("a step of the test").expect("a record");
    (record.state, record.paid)
}

fn money(text: &str) -> Money {
    Money::parse(text).expect("a step of the test")
}

async fn an_intent_survives_a_crash(url: &str) {
    let ledger = open(url).await;
    intend(&ledger, Kind::PayIn, "T1", "300").await;
    // The process dies after sending: nothing but the committed intent is left.
    ledger.close().await;
    drop(ledger);

    let reopened = open(url).await;
    assert_eq!(record(&reopened, Kind::PayIn, "T1").await, (State::Intent, Money::ZERO));
    // The reconciler finds it once its answer is overdue.
    let later = SystemTime::now() + Duration::from_secs(3600);
    let claims =
        reopened.claim_due("reconciler", later, Duration::from_secs(30), 10).await.expect("a step of the test");
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].record.keys, keys("T1"));
    assert_eq!(claims[0].record.amount, money("300"));
    assert_eq!(claims[0].record.endpoint, "taiwan/checkout");
}

async fn an_intent_holds_no_payer_data(url: &str) {
    let ledger = open(url).await;
    let checkout = CheckoutRequest::builder()
        .trade_no(TradeNo::new("T-PII"))
        .amount(Amount::new(300))
        .mobile("0912345678")
        .firstname("Mei")
        .lastname("Lin")
        .email("mei.lin@example.com")
        .channel_code(ChannelCode::NetBanking)
        .way_code(WayCode::BANK_TRANSFER)
        .ip_address("192.168.0.1")
        .bank_number("808-0368988888888")
        .notify_url("https://shop.example/vexora/pay-in")
        .return_url("https://shop.example/back")
        .build();
    let intent = Intent::of(Kind::PayIn, MERCHANT, &checkout).expect("a step of the test");
    assert_eq!((intent.region.as_str(), intent.endpoint.as_str()), ("taiwan", "taiwan/checkout"));
    let recorded = ledger.record_intent(&intent).await.expect("a step of the test");
    // The same request again is the same intent; another under its tradeNo is refused.
    assert_eq!(ledger.record_intent(&intent).await.expect("a step of the test").id, recorded.id);
    let mut dearer = checkout;
    dearer.amount = Amount::new(301);
    let other = Intent::of(Kind::PayIn, MERCHANT, &dearer).expect("a step of the test");
    assert!(matches!(ledger.record_intent(&other).await, Err(Error::IntentConflict { .. })));

    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT kind || record_keys || merchant_no || region || endpoint || amount || fields_hash || state \
         FROM vexora_records",
    )
    .fetch_all(ledger.pool())
    .await
    .expect("a step of the test");
    assert_eq!(stored.len(), 1);
    assert!(stored[0].contains("T-PII") && stored[0].contains(MERCHANT), "{}", stored[0]);
    for personal in ["0912345678", "Mei", "Lin", "mei.lin", "808-0368988888888", "192.168.0.1"] {
        assert!(!stored[0].contains(personal), "{personal} stored: {}", stored[0]);
    }
}

async fn the_same_notification_twice_is_applied_once(url: &str) {
    let ledger = open(url).await;
    intend(&ledger, Kind::PayIn, "T1", "300").await;
    let paid = pay_in("T1", "0000", "300");
    assert!(matches!(settle(&ledger, &paid).await, Settled::Applied(_)));
    assert_eq!(settle(&ledger, &paid).await, Settled::Duplicate);
    assert_eq!(settle(&ledger, &pay_in("T1", "0000", "300")).await, Settled::Duplicate);
    assert_eq!(moved(&ledger, Kind::PayIn, "T1").await, (money("300"), 1));
    assert_eq!(record(&ledger, Kind::PayIn, "T1").await, (State::Paid, money("300")));
    let stored = ledger.record(Kind::PayIn, &keys("T1")).await.expect("read").expect("a record");
    let history = ledger.history(&stored).await.expect("the history");
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!((history[0].old_state, history[0].new_state), (State::Intent, State::Paid));
    assert_eq!((history[0].source.as_str(), history[0].status.as_deref()), ("notification", Some("0000")));
}

async fn a_query_and_a_notification_that_both_say_paid_credit_once(url: &str) {
    let ledger = open(url).await;
    for (trade_no, query_first) in [("TQ", true), ("TN", false)] {
        intend(&ledger, Kind::PayIn, trade_no, "300").await;
        let (query, notification) = (pay_in_query(trade_no, "0000", "300.00"), pay_in(trade_no, "0000", "300"));
        let (first, second) = if query_first { (query, notification) } else { (notification, query) };
        assert!(matches!(settle(&ledger, &first).await, Settled::Applied(_)));
        assert_eq!(settle(&ledger, &second).await, Settled::Unchanged);
        assert_eq!(moved(&ledger, Kind::PayIn, trade_no).await, (money("300"), 1), "{trade_no}");
    }
}

async fn two_partial_payments_credit_their_sum_in_either_order(url: &str) {
    let ledger = open(url).await;
    // Paid 100, then 150 more: the gateway reports 100, then 250 paid so far.
    for (trade_no, amounts) in [("TA", ["100", "250"]), ("TB", ["250", "100"])] {
        intend(&ledger, Kind::PayIn, trade_no, "300").await;
        for amount in amounts {
            settle(&ledger, &pay_in(trade_no, "0001", amount)).await;
            settle(&ledger, &pay_in(trade_no, "0001", amount)).await;
        }
        assert_eq!(moved(&ledger, Kind::PayIn, trade_no).await.0, money("250"), "{trade_no}");
        assert_eq!(record(&ledger, Kind::PayIn, trade_no).await, (State::Partial, money("250")));
        // The rest, paid in full: credited the difference only.
        settle(&ledger, &pay_in(trade_no, "0000", "300")).await;
        assert_eq!(moved(&ledger, Kind::PayIn, trade_no).await.0, money("300"), "{trade_no}");
    }
}

async fn a_late_0015_after_0000_changes_nothing(url: &str) {
    let ledger = open(url).await;
    intend(&ledger, Kind::PayIn, "T1", "300").await;
    settle(&ledger, &pay_in("T1", "0000", "300")).await;
    assert_eq!(settle(&ledger, &pay_in("T1", "0015", "300")).await, Settled::Unchanged);
    assert_eq!(settle(&ledger, &pay_in_query("T1", "0015", "300")).await, Settled::Unchanged);
    assert_eq!(record(&ledger, Kind::PayIn, "T1").await, (State::Paid, money("300")));
    assert_eq!(moved(&ledger, Kind::PayIn, "T1").await, (money("300"), 1));
}

async fn not_found_then_paid_is_credited(url: &str) {
    let ledger = open(url).await;
    intend(&ledger, Kind::PayIn, "T1", "300").await;
    settle(&ledger, &Observation::outcome_unknown(Kind::PayIn, keys("T1"))).await;
    settle(&ledger, &Observation::not_found(Kind::PayIn, keys("T1"))).await;
    assert_eq!(record(&ledger, Kind::PayIn, "T1").await.0, State::NotFound);
    let due = ledger.due(SystemTime::now(), 10).await.expect("the due list");
    assert_eq!(due.iter().map(|record| record.state).collect::<Vec<_>>(), [State::NotFound]);
    let claims =
        ledger.claim_due("w", SystemTime::now(), Duration::from_secs(30), 10).await.expect("a step of the test");
    assert_eq!(claims.len(), 1, "not found is due for the reconciler");
    assert!(matches!(settle(&ledger, &pay_in("T1", "0000", "300")).await, Settled::Applied(_)));
    assert_eq!(record(&ledger, Kind::PayIn, "T1").await, (State::Paid, money("300")));
    assert_eq!(moved(&ledger, Kind::PayIn, "T1").await, (money("300"), 1));
}

/// "Not found", the merchant sends it again (same tradeNo), and that
/// outcome is unknown too: the record is unknown again and due, so the
/// reconciler finds what the second attempt made; a second "not found"
/// counts as well.
async fn a_create_sent_again_after_not_found_is_looked_at_again(url: &str) {
    let ledger = open(url).await;
    intend(&ledger, Kind::Payout, "P1", "300").await;
    let unknown = Observation::outcome_unknown(Kind::Payout, keys("P1"));
    let not_found = Observation::not_found(Kind::Payout, keys("P1"));
    settle(&ledger, &unknown).await;
    settle(&ledger, &not_found).await;
    assert_eq!(record(&ledger, Kind::Payout, "P1").await.0, State::NotFound);
    tokio::time::sleep(Duration::from_millis(2)).await;
    assert!(matches!(settle(&ledger, &unknown).await, Settled::Applied(_)), "sent again, unknown again");
    assert_eq!(record(&ledger, Kind::Payout, "P1").await.0, State::Unknown);
    let due = ledger.due(SystemTime::now(), 10).await.expect("the due list");
    assert_eq!(due.len(), 1, "due for the reconciler");
    tokio::time::sleep(Duration::from_millis(2)).await;
    assert!(matches!(settle(&ledger, &not_found).await, Settled::Applied(_)), "not found again");
    assert_eq!(record(&ledger, Kind::Payout, "P1").await.0, State::NotFound);
    // Seen again, it moves nothing; seen again in the same state, it is a
    // duplicate.
    assert_eq!(settle(&ledger, &not_found).await, Settled::Unchanged);
    assert_eq!(settle(&ledger, &not_found).await, Settled::Duplicate);
    let paid = payout("P1", "0000", "300");
    assert!(matches!(settle(&ledger, &paid).await, Settled::Applied(_)));
    assert_eq!(moved(&ledger, Kind::Payout, "P1").await, (money("300"), 1));
}

async fn an_unknown_trade_no_is_kept_for_a_person(url: &str) {
    let ledger = open(url).await;
    let stranger = pay_in("NOTOURS", "0000", "999");
    assert!(matches!(settle(&ledger, &stranger).await, Settled::NeedsAttention { .. }));
    assert_eq!(settle(&ledger, &stranger).await, Settled::Duplicate);
    // An amount that does not fit a known order is kept too, and not credited.
    intend(&ledger, Kind::PayIn, "T1", "300").await;
    assert!(matches!(settle(&ledger, &pay_in("T1", "0000", "299.99")).await, Settled::NeedsAttention { .. }));

    let kept = ledger.needs_attention().await.expect("a step of the test");
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!((kept[0].kind, &kept[0].keys), (Kind::PayIn, &keys("NOTOURS")));
    assert_eq!((kept[0].status.as_deref(), kept[0].amount.as_deref()), (Some("0000"), Some("999")));
    assert_eq!(kept[1].keys, keys("T1"));
    assert_eq!(moved(&ledger, Kind::PayIn, "NOTOURS").await.1, 0);
    assert_eq!(moved(&ledger, Kind::PayIn, "T1").await.1, 0);
}

async fn a_payout_and_a_pay_in_with_one_trade_no_are_both_applied(url: &str) {
    let ledger = open(url).await;
    intend(&ledger, Kind::PayIn, "SAME", "300").await;
    intend(&ledger, Kind::Payout, "SAME", "120").await;
    assert!(matches!(settle(&ledger, &pay_in("SAME", "0000", "300")).await, Settled::Applied(_)));
    assert!(matches!(settle(&ledger, &payout("SAME", "0000", "120")).await, Settled::Applied(_)));
    assert_eq!(moved(&ledger, Kind::PayIn, "SAME").await, (money("300"), 1));
    assert_eq!(moved(&ledger, Kind::Payout, "SAME").await, (money("120"), 1));
    assert_eq!(record(&ledger, Kind::Payout, "SAME").await, (State::Paid, money("120")));
}

async fn the_merchants_tables_commit_with_the_ledger_or_not_at_all(url: &str) {
    let ledger = open(url).await;
    intend(&ledger, Kind::PayIn, "T1", "300").await;
    let paid = pay_in("T1", "0000", "300");
    let failed = ledger
        .settle_with(&paid, |tx, change| {
            Box::pin(async move {
                shop_books(tx, change).await?;
                Err("the warehouse is closed".into())
            })
        })
        .await;
    assert!(matches!(failed, Err(Error::Merchant(_))), "{failed:?}");
    assert_eq!(record(&ledger, Kind::PayIn, "T1").await, (State::Intent, Money::ZERO));
    assert_eq!(moved(&ledger, Kind::PayIn, "T1").await.1, 0);
    let observations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vexora_observations")
        .fetch_one(ledger.pool())
        .await
        .expect("a step of the test");
    assert_eq!(observations, 0, "nothing of the ledger's is left");

    // Delivered again, with the merchant's code working: applied once.
    assert!(matches!(settle(&ledger, &paid).await, Settled::Applied(_)));
    assert_eq!(moved(&ledger, Kind::PayIn, "T1").await, (money("300"), 1));
}

async fn two_tasks_settling_one_observation_apply_it_once(url: &str) {
    let ledger = open(url).await;
    // A second pool on the same database: another receiver process.
    let other = open(url).await;
    for order in 0..4 {
        intend(&ledger, Kind::PayIn, &format!("C{order}"), "300").await;
    }
    let mut tasks = Vec::new();
    for task in 0..8 {
        let ledger = if task % 2 == 0 { ledger.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move {
            let mut applied = 0;
            for order in 0..4 {
                let observation = pay_in(&format!("C{order}"), "0000", "300");
                if matches!(
                    ledger.settle_with(&observation, shop_books).await.expect("a step of the test"),
                    Settled::Applied(_)
                ) {
                    applied += 1;
                }
            }
            applied
        }));
    }
    let mut applied = 0;
    for task in tasks {
        applied += task.await.expect("a step of the test");
    }
    assert_eq!(applied, 4, "each observation applied by one task");
    for order in 0..4 {
        assert_eq!(moved(&ledger, Kind::PayIn, &format!("C{order}")).await, (money("300"), 1));
    }
}

/// Without merchant code a settlement takes no lock before its write, which
/// checks that the record is still as read: observations that race on one
/// record (two partial payments, the payment in full, each as a
/// notification and as a query, each delivered twice) still move it once
/// each, and what they moved adds up to what was paid.
async fn racing_observations_of_one_record_each_move_it_once(url: &str) {
    let ledger = open(url).await;
    let other = open(url).await;
    let orders = 6;
    for order in 0..orders {
        intend(&ledger, Kind::PayIn, &format!("R{order}"), "300").await;
    }
    let mut tasks = Vec::new();
    for task in 0..8 {
        let ledger = if task % 2 == 0 { ledger.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move {
            let mut credited = Vec::new();
            for order in 0..orders {
                let trade_no = format!("R{order}");
                let (status, amount) = [("0001", "100"), ("0001", "250"), ("0000", "300"), ("0001", "100")][task % 4];
                let observation =
                    if task < 4 { pay_in(&trade_no, status, amount) } else { pay_in_query(&trade_no, status, amount) };
                if let Settled::Applied(change) = ledger.settle(&observation).await.expect("a step of the test") {
                    credited.push((trade_no, change.credit().expect("a pay-in credits")));
                }
            }
            credited
        }));
    }
    let mut credited: BTreeMap<String, Money> = BTreeMap::new();
    for task in tasks {
        for (trade_no, amount) in task.await.expect("a step of the test") {
            let total = credited.entry(trade_no).or_insert(Money::from(0));
            *total = total.checked_add(amount).expect("fits");
        }
    }
    for order in 0..orders {
        let trade_no = format!("R{order}");
        assert_eq!(record(&ledger, Kind::PayIn, &trade_no).await, (State::Paid, money("300")), "{trade_no}");
        assert_eq!(credited.get(&trade_no), Some(&money("300")), "{trade_no}: what the settlements moved");
        let record = ledger.record(Kind::PayIn, &keys(&trade_no)).await.expect("read").expect("a record");
        let history = ledger.history(&record).await.expect("the history");
        let observations = history.len();
        assert!(observations <= 6, "{trade_no}: each of six observations applied at most once, got {observations}");
    }
}

async fn two_workers_never_claim_one_row_and_an_expired_lease_is_taken_over(url: &str) {
    let mut options = Options::default();
    options.intent_grace = Duration::ZERO;
    let first = Ledger::connect_with(url, options.clone()).await.expect("a step of the test");
    let second = Ledger::connect_with(url, options).await.expect("a step of the test");
    for order in 0..20 {
        intend(&first, Kind::Payout, &format!("W{order}"), "10").await;
    }
    let now = SystemTime::now() + Duration::from_secs(1);
    let lease = Duration::from_secs(60);
    let (a, b) =
        tokio::join!(first.claim_due("worker-a", now, lease, 12), second.claim_due("worker-b", now, lease, 12));
    let (a, b) = (a.expect("a step of the test"), b.expect("a step of the test"));
    let mut ids: Vec<i64> = a.iter().chain(&b).map(|claim| claim.record.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), a.len() + b.len(), "no row claimed twice");
    assert_eq!(ids.len(), 20, "every due row claimed once");
    assert!(a.iter().all(|claim| claim.worker == "worker-a") && b.iter().all(|claim| claim.worker == "worker-b"));

    // Leased: nobody else gets them until the lease ends.
    let during = first.claim_due("worker-c", now + lease / 2, lease, 50).await.expect("a step of the test");
    assert!(during.is_empty(), "{during:?}");
    // Worker a dies; worker b releases its rows for later.
    for claim in &b {
        assert!(second.release(claim, Some(now + lease * 10)).await.expect("a step of the test"));
    }
    let after = first
        .claim_due("worker-c", now + lease + Duration::from_millis(1), lease, 50)
        .await
        .expect("a step of the test");
    let mut taken: Vec<i64> = after.iter().map(|claim| claim.record.id).collect();
    let mut dead: Vec<i64> = a.iter().map(|claim| claim.record.id).collect();
    taken.sort_unstable();
    dead.sort_unstable();
    assert_eq!(taken, dead, "the dead worker's rows, and only those, are taken over");
    assert!(after.iter().all(|claim| claim.attempts == 2));
    // The dead worker's lease is gone: its release changes nothing.
    assert!(!first.release(&a[0], None).await.expect("a step of the test"));
}

async fn amounts_are_compared_by_value_and_differences_are_exact(url: &str) {
    let ledger = open(url).await;
    intend(&ledger, Kind::PayIn, "T300", "300").await;
    assert!(matches!(settle(&ledger, &pay_in("T300", "0000", "300.00")).await, Settled::Applied(_)));
    assert_eq!(record(&ledger, Kind::PayIn, "T300").await, (State::Paid, money("300")));

    intend(&ledger, Kind::PayIn, "TX", "100.10").await;
    let Settled::Applied(part) = settle(&ledger, &pay_in("TX", "0001", "33.33")).await else { panic!("not applied") };
    assert_eq!(part.credit(), Some(money("33.33")));
    let Settled::Applied(rest) = settle(&ledger, &pay_in("TX", "0000", "100.1")).await else { panic!("not applied") };
    assert_eq!(rest.credit(), Some(money("66.77")));
    assert_eq!(moved(&ledger, Kind::PayIn, "TX").await, (money("100.10"), 2));
}

async fn a_claimed_record_never_blocks_a_receiver_and_settles_through_the_same_path(url: &str) {
    let mut options = Options::default();
    options.processing_after = Duration::ZERO;
    let worker = Ledger::connect_with(url, options).await.expect("the worker's ledger");
    let receiver = open(url).await;
    intend(&receiver, Kind::Payout, "P1", "120").await;
    settle(&receiver, &Observation::refused(Kind::Payout, keys("P1"), "9999")).await;
    assert!(worker.claim_due("w", SystemTime::now(), Duration::from_secs(60), 10).await.expect("claims").is_empty());
    // The due time is set when a record changes, by the options of the
    // process that changes it.
    settle(&worker, &payout("P1", "0015", "120")).await;

    // Processing past the threshold: the worker claims it, and holds no
    // transaction while it asks the gateway.
    let later = SystemTime::now() + Duration::from_secs(1);
    let claims = worker.claim_due("w", later, Duration::from_secs(60), 10).await.expect("claims");
    assert_eq!(claims.len(), 1);
    // Meanwhile a receiver settles the notification at once.
    let paid = payout("P1", "0000", "120");
    let settled = tokio::time::timeout(Duration::from_secs(5), receiver.settle_with(&paid, shop_books)).await;
    assert!(matches!(settled.expect("not blocked by the claim").expect("settled"), Settled::Applied(_)));
    // The worker's query result arrives: the same path, nothing moves twice.
    let result: vexora::data::PayoutResult =
        serde_json::from_str(r#"{"tradeNo":"P1","platFormTradeNo":"pP1","status":"0000","amount":"120.00"}"#)
            .expect("a payout result");
    let query = Observation::payout_query(&result).expect("an observation");
    assert_eq!(worker.settle_with(&query, shop_books).await.expect("settled"), Settled::Unchanged);
    assert!(worker.release(&claims[0], Some(later + Duration::from_secs(60))).await.expect("released"));
    let record = worker.record(Kind::Payout, &keys("P1")).await.expect("read").expect("a record");
    assert_eq!((record.state, record.due_at), (State::Paid, None), "a settled record is never due again");
    assert_eq!(moved(&worker, Kind::Payout, "P1").await, (money("120"), 1));
}

async fn several_processes_starting_at_once_migrate_once(url: &str) {
    let starts: Vec<_> = (0..6)
        .map(|_| {
            let url = url.to_owned();
            tokio::spawn(async move { Ledger::connect(&url).await })
        })
        .collect();
    let mut ledgers = Vec::new();
    for start in starts {
        ledgers.push(start.await.expect("a start").expect("the ledger opens beside the others"));
    }
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM vexora_migrations ORDER BY version")
        .fetch_all(ledgers[0].pool())
        .await
        .expect("the versions");
    assert_eq!(versions, [1, 2, 3], "each migration applied once");
}

/// Books written by a ledger that stopped at migration 2: the rebuild of
/// migration 3 keeps every event, and settlement still moves the record
/// through the rebuilt table's trigger.
async fn books_kept_before_the_last_migration_keep_their_history(url: &str) {
    use sqlx::Connection as _;
    let (first, second) = if url.starts_with("sqlite:") {
        (
            include_str!("../../migrations/sqlite/0001_ledger.sql"),
            include_str!("../../migrations/sqlite/0002_observation_moves_record.sql"),
        )
    } else {
        (
            include_str!("../../migrations/postgres/0001_ledger.sql"),
            include_str!("../../migrations/postgres/0002_observation_moves_record.sql"),
        )
    };
    sqlx::any::install_default_drivers();
    let raw_url = if url.starts_with("sqlite:") { format!("{url}?mode=rwc") } else { url.to_owned() };
    let mut raw = sqlx::AnyConnection::connect(&raw_url).await.expect("the database opens");
    let old_books = format!(
        "{first}\n{second}\n\
         CREATE TABLE vexora_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL);\n\
         INSERT INTO vexora_migrations (version, applied_at) VALUES (1, 0), (2, 0);\n\
         INSERT INTO vexora_records (kind, record_keys, merchant_no, region, endpoint, amount, fields_hash, state, \
             paid, created_at, updated_at, due_at) \
             VALUES ('pay_in', '{{\"tradeNo\":\"T1\"}}', '{MERCHANT}', 'taiwan', 'checkout', '300', 'h', 'intent', '0', \
             0, 0, 1000);\n\
         INSERT INTO vexora_record_keys (record_id, kind, name, value) VALUES (1, 'pay_in', 'tradeNo', 'T1');\n\
         INSERT INTO vexora_observations (record_id, dedup, source, status, amount, old_state, new_state, old_paid, \
             new_paid, observed_at, due_at) \
             VALUES (1, 'd1', 'notification', '0000', '100', 'intent', 'partial', '0', '100', 1, 2000);"
    );
    sqlx::raw_sql(&old_books).execute(&mut raw).await.expect("the books of migration 2");
    if url.starts_with("postgres") {
        // Postgres had no trigger: migration 2's settlement moved the record itself.
        sqlx::raw_sql("UPDATE vexora_records SET state = 'partial', paid = '100', due_at = 2000 WHERE id = 1")
            .execute(&mut raw)
            .await
            .expect("the record moved");
    }
    raw.close().await.expect("closed");

    let ledger = open(url).await;
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM vexora_migrations ORDER BY version")
        .fetch_all(ledger.pool())
        .await
        .expect("the versions");
    assert_eq!(versions, [1, 2, 3]);
    assert_eq!(record(&ledger, Kind::PayIn, "T1").await, (State::Partial, money("100")));
    assert!(matches!(settle(&ledger, &pay_in("T1", "0000", "300")).await, Settled::Applied(_)));
    assert_eq!(record(&ledger, Kind::PayIn, "T1").await, (State::Paid, money("300")));
    let stored = ledger.record(Kind::PayIn, &keys("T1")).await.expect("read").expect("a record");
    let history = ledger.history(&stored).await.expect("the history");
    let moves: Vec<_> = history.iter().map(|event| (event.old_state, event.new_state)).collect();
    assert_eq!(moves, [(State::Intent, State::Partial), (State::Partial, State::Paid)], "{history:?}");
}

/// Every future the ledger returns is `Send`, so servers can spawn it.
async fn every_call_runs_on_a_spawned_task(url: &str) {
    let url = url.to_owned();
    let task = tokio::spawn(async move {
        let ledger = Ledger::connect(&url).await.expect("the ledger opens");
        let intent = Intent::new(Kind::PayIn, MERCHANT, "taiwan/checkout", keys("S1"), money("5"), "h");
        ledger.record_intent(&intent).await.expect("recorded");
        ledger.settle(&Observation::outcome_unknown(Kind::PayIn, keys("S1"))).await.expect("settled");
        let claims = ledger.claim_due("w", SystemTime::now(), Duration::from_secs(5), 1).await.expect("claimed");
        ledger.settle_with(&pay_in("S1", "0000", "5"), |_, _| Box::pin(async { Ok(()) })).await.expect("settled");
        ledger.release(&claims[0], None).await.expect("released");
        ledger.record(Kind::PayIn, &keys("S1")).await.expect("read");
        ledger.records().await.expect("read");
        ledger.needs_attention().await.expect("read");
        ledger.close().await;
    });
    task.await.expect("the task ran");
}

/// Switching a file to WAL needs it to itself for a moment, and SQLite
/// refuses at once instead of waiting while another connection is in the
/// middle of writing (as another process migrating is): the ledger tries
/// again until the writer is done, and opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_opens_while_another_connection_holds_the_file() {
    let db = crate::common::sqlite();
    sqlx::any::install_default_drivers();
    let other = sqlx::AnyPool::connect(&format!("{}?mode=rwc", db.url)).await.expect("another connection");
    sqlx::raw_sql("CREATE TABLE shop (id INTEGER PRIMARY KEY); INSERT INTO shop VALUES (1)")
        .execute(&other)
        .await
        .expect("the shop's table");
    // A write transaction holds the file in rollback-journal mode.
    let mut writing = other.begin_with("BEGIN IMMEDIATE").await.expect("a transaction");
    sqlx::query("INSERT INTO shop VALUES (2)").execute(&mut *writing).await.expect("a write");
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        writing.commit().await.expect("the write ends");
    });
    let ledger = Ledger::connect(&db.url).await.expect("the ledger waits for the writer, then opens");
    release.await.expect("the writer");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(ledger.pool()).await.expect("the mode");
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_a_busy_timeout() {
    let db = crate::common::sqlite();
    let ledger = Ledger::connect(&db.url).await.expect("the ledger opens");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(ledger.pool()).await.expect("the mode");
    assert_eq!(mode, "wal");
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(ledger.pool()).await.expect("the timeout");
    assert_eq!(timeout, 10_000);
}

#[tokio::test]
async fn only_sqlite_and_postgres_urls_are_accepted() {
    let refused = Ledger::connect("mysql://root:secret@db.example/shop").await;
    match refused {
        Err(Error::UnsupportedUrl { url }) => assert_eq!(url, "db.example/shop", "the password is never shown"),
        other => panic!("{other:?}"),
    }
}

//! What must hold at the end of every run, after the reconciler has run to
//! quiescence: the invariants of the books, in a merchant's words.

use std::collections::{BTreeMap, BTreeSet};

use vexora_ledger::{Attention, Kind, Money, Record, State};
use vexora_sandbox::{BalanceView, OrderView, PayoutView};

/// Everything the checks read, taken once the run is quiet.
pub struct Snapshot<'a> {
    /// The gateway's balance of each region, and what it opened with, in
    /// hundredths.
    pub balances: &'a [(String, BalanceView, u64)],
    /// What the merchant's own table moved, by kind and `tradeNo`.
    pub shop: &'a BTreeMap<(String, String), Money>,
    /// The gateway's orders and payouts.
    pub orders: &'a [OrderView],
    /// The gateway's payouts.
    pub payouts: &'a [PayoutView],
    /// The ledger's records.
    pub records: &'a [Record],
    /// What the ledger kept for a person.
    pub attention: &'a [Attention],
    /// The intents the merchant meant to create, by `tradeNo`: the intent's
    /// name (`C3`, `P0`).
    pub intents: &'a BTreeMap<String, String>,
    /// The notification bodies a receiver acknowledged.
    pub acknowledged: &'a [Vec<u8>],
    /// The notification bodies the gateway sent.
    pub sent: &'a BTreeSet<Vec<u8>>,
}

/// Each invariant the snapshot breaks, in words that name the record.
pub fn violations(snapshot: &Snapshot<'_>) -> Vec<String> {
    let mut broken = Vec::new();
    once_per_intent(snapshot, &mut broken);
    books_agree(snapshot, &mut broken);
    totals_agree(snapshot, &mut broken);
    shop_agrees(snapshot, &mut broken);
    balances_agree(snapshot, &mut broken);
    nothing_lost(snapshot, &mut broken);
    only_genuine_notifications(snapshot, &mut broken);
    broken
}

/// The exact sum, or `None` if it does not fit.
fn sum(amounts: impl Iterator<Item = Money>) -> Option<Money> {
    let mut amounts = amounts;
    amounts.try_fold(Money::from(0), |total, amount| total.checked_add(amount))
}

/// Hundredths as exact money.
fn cents(hundredths: u64) -> Money {
    Money::parse(&format!("{}.{:02}", hundredths / 100, hundredths % 100)).expect("hundredths are exact money")
}

/// The intent a `notifyUrl` names (`...?intent=C3`).
fn intent_of(notify_url: &str) -> &str {
    notify_url.rsplit_once("intent=").map_or("", |(_, intent)| intent)
}

/// 1. No intent made more than one record at the gateway (counted by the
///    intent each record's `notifyUrl` names, so a resend under a new
///    `tradeNo` is caught), and no payout paid out twice.
fn once_per_intent(snapshot: &Snapshot<'_>, broken: &mut Vec<String>) {
    let mut made: BTreeMap<&str, usize> = BTreeMap::new();
    for url in snapshot.orders.iter().map(|o| &o.notify_url).chain(snapshot.payouts.iter().map(|p| &p.notify_url)) {
        *made.entry(intent_of(url)).or_default() += 1;
    }
    for (intent, count) in made.into_iter().filter(|(_, count)| *count > 1) {
        broken.push(format!("intent {intent} made {count} records at the gateway"));
    }
}

/// 2. For every `tradeNo` the gateway holds, the ledger holds the same
///    final status and amount paid.
fn books_agree(snapshot: &Snapshot<'_>, broken: &mut Vec<String>) {
    let record = |kind: Kind, trade_no: &str| {
        snapshot.records.iter().find(|record| record.kind == kind && record.keys.get("tradeNo") == Some(trade_no))
    };
    for order in snapshot.orders {
        let paid = cents(order.paid_amount_cents);
        match record(Kind::PayIn, &order.trade_no) {
            None => broken.push(format!("order {} is at the gateway, not in the books", order.trade_no)),
            Some(record) if record.status.as_deref() != Some(order.status.as_str()) || record.paid != paid => {
                broken.push(format!(
                    "order {}: the gateway says {} paid {paid}, the books {:?} paid {}",
                    order.trade_no, order.status, record.status, record.paid
                ));
            }
            Some(_) => {}
        }
    }
    for payout in snapshot.payouts {
        let paid_out = if payout.status == "0000" { cents(payout.amount_cents) } else { Money::from(0) };
        match record(Kind::Payout, &payout.trade_no) {
            None => broken.push(format!("payout {} is at the gateway, not in the books", payout.trade_no)),
            Some(record) if record.status.as_deref() != Some(payout.status.as_str()) || record.paid != paid_out => {
                broken.push(format!(
                    "payout {}: the gateway says {} paid out {paid_out}, the books {:?} {}",
                    payout.trade_no, payout.status, record.status, record.paid
                ));
            }
            Some(_) => {}
        }
    }
}

/// 3. What the books credited is what the gateway took in, what they
///    debited what it paid out.
fn totals_agree(snapshot: &Snapshot<'_>, broken: &mut Vec<String>) {
    let paid_in = sum(snapshot.orders.iter().map(|o| cents(o.paid_amount_cents)));
    let paid_out = sum(snapshot.payouts.iter().filter(|p| p.status == "0000").map(|p| cents(p.amount_cents)));
    let credited = sum(snapshot.records.iter().filter(|r| r.kind == Kind::PayIn).map(|r| r.paid));
    let debited = sum(snapshot.records.iter().filter(|r| r.kind == Kind::Payout).map(|r| r.paid));
    if paid_in != credited {
        broken.push(format!("the gateway took in {paid_in:?}, the books credited {credited:?}"));
    }
    if paid_out != debited {
        broken.push(format!("the gateway paid out {paid_out:?}, the books debited {debited:?}"));
    }
}

/// 3, in the merchant's own table: what its settlement code moved for each
///    record, in the ledger's transactions, is what the books hold, once.
fn shop_agrees(snapshot: &Snapshot<'_>, broken: &mut Vec<String>) {
    for record in snapshot.records {
        let trade_no = record.keys.get("tradeNo").unwrap_or_default().to_owned();
        let moved = snapshot.shop.get(&(record.kind.as_str().to_owned(), trade_no.clone())).copied();
        if moved.unwrap_or(Money::from(0)) != record.paid {
            broken.push(format!(
                "{} {trade_no}: the shop's table moved {moved:?}, the books hold {}",
                record.kind, record.paid
            ));
        }
    }
}

/// 3, in the balance: what a balance query reports beyond the opening
///    balance (available, frozen and unsettled alike) is what the books
///    credited in its region less what they debited there.
fn balances_agree(snapshot: &Snapshot<'_>, broken: &mut Vec<String>) {
    for (region, balance, opening) in snapshot.balances {
        let held = balance.available_cents + balance.frozen_cents + balance.unsettled_cents;
        let records = || snapshot.records.iter().filter(|record| record.region == *region);
        let credited = sum(records().filter(|r| r.kind == Kind::PayIn).map(|r| r.paid));
        let debited = sum(records().filter(|r| r.kind == Kind::Payout).map(|r| r.paid));
        let gained = held.checked_sub(*opening).map(cents);
        let books = credited.zip(debited).and_then(|(credited, debited)| credited.checked_sub(debited));
        if gained != books {
            broken.push(format!(
                "{region}: the balance gained {gained:?} since it opened, the books {books:?} (credited {credited:?}, debited {debited:?})"
            ));
        }
    }
}

/// 4. Nothing the merchant meant to create is lost: every intent ends made,
///    refused with the gateway's code, or kept for a person.
fn nothing_lost(snapshot: &Snapshot<'_>, broken: &mut Vec<String>) {
    let kept = |record: &Record| snapshot.attention.iter().any(|attention| attention.keys == record.keys);
    for (trade_no, intent) in snapshot.intents {
        let Some(record) = snapshot.records.iter().find(|r| r.keys.get("tradeNo") == Some(trade_no.as_str())) else {
            broken.push(format!("intent {intent} ({trade_no}) is not in the books"));
            continue;
        };
        let settled = matches!(record.state, State::Processing | State::Partial | State::Paid | State::Failed)
            || (record.state == State::Refused && record.status.is_some());
        if !settled && !kept(record) {
            broken.push(format!("intent {intent} ({trade_no}) ended {} and nobody was told", record.state));
        }
    }
}

/// During the run: never a notification acknowledged that the gateway did
/// not send.
fn only_genuine_notifications(snapshot: &Snapshot<'_>, broken: &mut Vec<String>) {
    for body in snapshot.acknowledged.iter().filter(|body| !snapshot.sent.contains(*body)) {
        broken
            .push(format!("a notification the gateway never sent was acknowledged: {}", String::from_utf8_lossy(body)));
    }
}

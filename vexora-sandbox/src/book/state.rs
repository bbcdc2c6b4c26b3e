//! The sandbox's memory: orders, payouts, the records of kinds served from
//! their spec alone, the merchants' money and the payers' IP counters.
//!
//! Plain data behind one `Mutex`; nothing here awaits, so
//! the lock is never held across an `.await`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use vexora_spec::MoneyFlow;

use crate::book::calendar::LocalDay;
use crate::book::ids::PlatformIds;
use crate::book::ledger::{Balance, Ledger};
use crate::book::money::Cents;
use crate::book::records::{NewOrder, NewPayout, Order, PaymentOutcome, Payout};
use crate::book::refusals::{FinishError, Reason, Refused, SettleError, overflow_refusal};
use crate::book::spec_records::{NewSpecRecord, SpecRecord};
use crate::book::status::{OrderStatus, ProcessStatus};

/// Orders one payer IP may place in a local day.
pub(crate) const IP_DAILY_ORDERS: u32 = 10;
/// Successful (`0000`) orders one payer IP may have in a local day.
pub(crate) const IP_DAILY_SUCCESSES: u32 = 3;

/// Locks the state. A panic elsewhere while holding the lock cannot leave
/// it half-updated in a way that matters to a sandbox, so poisoning is ignored.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug, Clone, Copy, Default)]
struct IpUsage {
    orders: u32,
    successes: u32,
}

type OrderKey = (String, String);
/// `(merchantNo, endpoint, key values)`: what identifies a record of a kind
/// served from its spec (the endpoint, `region/name`, names its region).
type RecordKey = (String, String, Vec<String>);

/// What the timeline lists, by its key in its table.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Made {
    Order(OrderKey),
    Payout(OrderKey),
    /// By its platform id.
    Record(String),
}
/// `(merchantNo, region)`.
type LedgerKey = (String, String);

/// An order, a payout or a record of a kind served from its spec,
/// borrowed from the state.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Entry<'a> {
    Order(&'a Order),
    Payout(&'a Payout),
    Record(&'a SpecRecord),
}

/// Everything the sandbox remembers.
///
/// The tables are B-trees, not hash maps: a hash map grows by copying all
/// of itself at once, under the state lock, holding up the one request that
/// crosses its threshold; a B-tree grows a node at a time, so every
/// checkout costs about the same.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// By `(merchantNo, tradeNo)`.
    orders: BTreeMap<OrderKey, Order>,
    /// By `(merchantNo, tradeNo)`: a payout's number is its own namespace.
    payouts: BTreeMap<OrderKey, Payout>,
    /// Records of kinds served from their spec, by platform id.
    records: BTreeMap<String, SpecRecord>,
    /// The platform id of each record that has keys, by its keys.
    record_keys: BTreeMap<RecordKey, String>,
    /// Each merchant's money in each region, by `(merchantNo, region)`:
    /// a region has its own currency, so its own balance.
    ledgers: BTreeMap<LedgerKey, Ledger>,
    /// Each merchant's opening balance, which every region's ledger starts with.
    openings: BTreeMap<String, Cents>,
    by_platform: BTreeMap<String, OrderKey>,
    ip_usage: BTreeMap<(String, LocalDay), IpUsage>,
    /// Every order, payout and record in the order they were created, so
    /// listing the newest needs no sort.
    timeline: Vec<Made>,
    sequence: u64,
    ids: PlatformIds,
    /// Whether a create under the `tradeNo` of records all still hidden
    /// from queries makes another record (see `slot`).
    duplicates_while_hidden: bool,
}

/// Where a new order or payout under `taken` (merchant, `tradeNo`) goes in
/// `table`: `taken` itself when no record holds it; `None` (a duplicate)
/// when one does. With `racing`, a gateway whose unique-`tradeNo` check
/// reads only what is committed: while every record under the `tradeNo`
/// is still hidden at `now_ms` (`visible_from` in the future: not made
/// yet), the new one gets a key of its own, the `tradeNo`, a NUL (which no
/// request's `tradeNo` holds) and its rank, so it sorts after theirs and
/// lookups by `tradeNo` keep finding the first.
fn slot<V>(
    table: &BTreeMap<OrderKey, V>,
    taken: &OrderKey,
    visible_from: impl Fn(&V) -> i64,
    racing: bool,
    now_ms: i64,
) -> Option<OrderKey> {
    if !table.contains_key(taken) {
        return Some(taken.clone());
    }
    if !racing {
        return None;
    }
    let (merchant_no, trade_no) = taken;
    let same = |key: &OrderKey| {
        key.0 == *merchant_no
            && key.1.strip_prefix(trade_no.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('\0'))
    };
    let records: Vec<&V> =
        table.range(taken.clone()..).take_while(|(key, _)| same(key)).map(|(_, record)| record).collect();
    if records.iter().any(|record| visible_from(record) <= now_ms) {
        return None;
    }
    Some((merchant_no.clone(), format!("{trade_no}\0{}", records.len() + 1)))
}

impl State {
    /// Counts an order against the payer's IP for `today`, unless the IP is
    /// at a daily limit. Regions whose requests carry no payer IP (empty)
    /// have no such limit.
    fn count_ip_order(&mut self, ip_address: &str, today: LocalDay) -> Result<(), Refused> {
        if ip_address.is_empty() {
            return Ok(());
        }
        let usage = self.ip_usage.entry((ip_address.to_owned(), today)).or_default();
        if usage.successes >= IP_DAILY_SUCCESSES {
            return Err(Refused::new(
                Reason::IpSuccessLimit,
                format!(
                    "ipAddress: {ip_address} already has {} successful orders today (limit {IP_DAILY_SUCCESSES})",
                    usage.successes
                ),
            ));
        }
        if usage.orders >= IP_DAILY_ORDERS {
            return Err(Refused::new(
                Reason::IpDailyOrderLimit,
                format!("ipAddress: {ip_address} already has {} orders today (limit {IP_DAILY_ORDERS})", usage.orders),
            ));
        }
        usage.orders += 1;
        Ok(())
    }

    /// Creates an order, unless its `tradeNo` is taken or the payer's IP is
    /// at a daily limit. `payment_url` turns the new `platFormTradeNo` into
    /// the cashier's URL.
    pub(crate) fn create_order(
        &mut self,
        new: NewOrder,
        now_ms: i64,
        today: LocalDay,
        payment_url: impl FnOnce(&str) -> String,
    ) -> Result<&mut Order, Refused> {
        let taken = (new.merchant_no.clone(), new.trade_no.clone());
        let racing = self.duplicates_while_hidden;
        let Some(key) = slot(&self.orders, &taken, |order| order.visible_from_ms, racing, now_ms) else {
            return Err(Refused::new(
                Reason::DuplicateTradeNo,
                format!("tradeNo: {} was already used by merchant {}", new.trade_no, new.merchant_no),
            ));
        };
        let ledger_key = (new.merchant_no.clone(), new.region.clone());
        let ceiling = self
            .ledger(&ledger_key)
            .ceiling
            .checked_add(new.amount)
            .ok_or_else(|| overflow_refusal(&format!("an order of {}", new.amount.text(2))))?;
        self.count_ip_order(&new.ip_address, today)?;
        self.ledger_mut(ledger_key).ceiling = ceiling;
        let plat_form_trade_no = self.new_platform_id();
        let order = Order {
            payment_url: payment_url(&plat_form_trade_no),
            merchant_no: new.merchant_no,
            region: new.region,
            trade_no: new.trade_no,
            plat_form_trade_no: plat_form_trade_no.clone(),
            status: OrderStatus::Paying,
            amount: new.amount,
            paid_amount: Cents::ZERO,
            remark: new.remark,
            channel: new.channel,
            ip_address: new.ip_address,
            notify_url: new.notify_url,
            return_url: new.return_url,
            created_at_ms: now_ms,
            visible_from_ms: now_ms,
            finished_at_ms: None,
            paid_day: None,
        };
        self.by_platform.insert(plat_form_trade_no, key.clone());
        self.timeline.push(Made::Order(key.clone()));
        Ok(self.orders.entry(key).or_insert(order))
    }

    /// 16 characters of `[0-9a-z]`, like the gateway's, never reused.
    /// Draws the `platFormTradeNo`s from `seed` from now on.
    pub(crate) fn seed_platform_ids(&mut self, seed: u64) {
        self.ids = PlatformIds::Seeded(seed);
    }

    /// From now on a create under the `tradeNo` of records all still
    /// hidden from queries makes another record instead of being refused
    /// (`SandboxConfig::duplicates_while_hidden`).
    pub(crate) fn let_duplicates_through_while_hidden(&mut self) {
        self.duplicates_while_hidden = true;
    }

    pub(crate) fn new_platform_id(&mut self) -> String {
        loop {
            self.sequence += 1;
            let id = self.ids.id(self.sequence);
            if !self.by_platform.contains_key(&id)
                && !self.records.contains_key(&id)
                && !self.payouts.values().any(|p| p.plat_form_trade_no == id)
            {
                return id;
            }
        }
    }

    /// The merchant's order `trade_no`.
    pub(crate) fn order(&self, merchant_no: &str, trade_no: &str) -> Option<&Order> {
        self.orders.get(&(merchant_no.to_owned(), trade_no.to_owned()))
    }

    /// The order with this `platFormTradeNo`.
    pub(crate) fn order_by_platform(&self, plat_form_trade_no: &str) -> Option<&Order> {
        self.by_platform.get(plat_form_trade_no).and_then(|key| self.orders.get(key))
    }

    /// Every merchant's order with this `tradeNo`.
    pub(crate) fn orders_with_trade_no(&self, trade_no: &str) -> Vec<&Order> {
        self.orders.values().filter(|order| order.trade_no == trade_no).collect()
    }

    /// Every order, oldest first.
    pub(crate) fn orders(&self) -> Vec<Order> {
        let mut orders: Vec<_> = self.orders.values().cloned().collect();
        orders.sort_by(|a, b| (a.created_at_ms, &a.plat_form_trade_no).cmp(&(b.created_at_ms, &b.plat_form_trade_no)));
        orders
    }

    /// Applies the payer's choice to a paying order and returns it updated.
    pub(crate) fn settle(
        &mut self,
        plat_form_trade_no: &str,
        outcome: PaymentOutcome,
        now_ms: i64,
        today: LocalDay,
    ) -> Result<Order, SettleError> {
        let key = self.by_platform.get(plat_form_trade_no).ok_or(SettleError::NotFound)?;
        let order = self.orders.get_mut(key).ok_or(SettleError::NotFound)?;
        if order.status != OrderStatus::Paying {
            return Err(SettleError::Finished(order.status));
        }
        let (status, paid) = match outcome {
            PaymentOutcome::Pay => (OrderStatus::Paid, order.amount),
            PaymentOutcome::Partial => (
                OrderStatus::PartlyPaid,
                order.amount.partial().ok_or(SettleError::NotPossible("an order of 0.00 cannot be paid in part"))?,
            ),
            PaymentOutcome::Fail => (OrderStatus::Failed, Cents::ZERO),
        };
        let key = (order.merchant_no.clone(), order.region.clone());
        let opening = self.openings.get(&order.merchant_no).copied().unwrap_or_default();
        let ledger = self.ledgers.entry(key).or_insert_with(|| Ledger::opened_with(opening));
        ledger.receive(order.amount, paid, today).ok_or(SettleError::Overflow)?;
        if !paid.is_zero() {
            order.paid_day = Some(today);
        }
        order.status = status;
        order.paid_amount = paid;
        order.finished_at_ms = Some(now_ms);
        let order = order.clone();
        if status == OrderStatus::Paid {
            self.ip_usage.entry((order.ip_address.clone(), today)).or_default().successes += 1;
        }
        Ok(order)
    }

    /// The merchant's balances: the opening balance and money paid on an
    /// earlier local day are available, today's is unsettled (T+1); a
    /// processing payout's amount is frozen, a paid-out one is gone.
    /// `None` only if the books broke their own bound (see [`Ledger`]).
    pub(crate) fn balance(&self, merchant_no: &str, region: &str, today: LocalDay) -> Option<Balance> {
        self.ledger(&(merchant_no.to_owned(), region.to_owned())).balance(today)
    }

    /// Every region in which money of `merchant_no` moved, with its balances.
    pub(crate) fn balances_of(&self, merchant_no: &str, today: LocalDay) -> Vec<(String, Option<Balance>)> {
        let from = (merchant_no.to_owned(), String::new());
        self.ledgers
            .range(from..)
            .take_while(|((no, _), _)| no == merchant_no)
            .map(|((_, region), ledger)| (region.clone(), ledger.balance(today)))
            .collect()
    }

    /// Sets the opening available balance every region of a merchant
    /// starts with, before any order.
    pub(crate) fn set_opening_balance(&mut self, merchant_no: &str, amount: Cents) {
        self.openings.insert(merchant_no.to_owned(), amount);
    }

    /// The merchant's opening balance in each region.
    pub(crate) fn opening_balance(&self, merchant_no: &str) -> Cents {
        self.openings.get(merchant_no).copied().unwrap_or_default()
    }

    /// The ledger of `key`, or the one it would start as.
    fn ledger(&self, key: &LedgerKey) -> Cow<'_, Ledger> {
        match self.ledgers.get(key) {
            Some(ledger) => Cow::Borrowed(ledger),
            None => Cow::Owned(Ledger::opened_with(self.opening_balance(&key.0))),
        }
    }

    fn ledger_mut(&mut self, key: LedgerKey) -> &mut Ledger {
        let opening = self.opening_balance(&key.0);
        self.ledgers.entry(key).or_insert_with(|| Ledger::opened_with(opening))
    }

    /// Holds `amount` of the available balance for money going out (`what`,
    /// e.g. "a payout", names it in a refusal): refused when it is not
    /// there.
    fn hold(
        &mut self,
        merchant_no: &str,
        region: &str,
        amount: Cents,
        what: &str,
        today: LocalDay,
    ) -> Result<(), Refused> {
        let overflow = || overflow_refusal(&format!("{what} of {}", amount.text(2)));
        let available = self.balance(merchant_no, region, today).ok_or_else(overflow)?.available;
        if amount > available {
            return Err(Refused::new(
                Reason::InsufficientBalance,
                format!("amount: {} is more than the available balance, {}", amount.text(2), available.text(2)),
            ));
        }
        let ledger = self.ledger_mut((merchant_no.to_owned(), region.to_owned()));
        // No more than the available balance, so it fits.
        ledger.frozen = ledger.frozen.checked_add(amount).ok_or_else(overflow)?;
        Ok(())
    }

    /// Creates a processing payout, unless its `tradeNo` is taken or it is
    /// more than the available balance.
    pub(crate) fn create_payout(
        &mut self,
        new: NewPayout,
        now_ms: i64,
        today: LocalDay,
    ) -> Result<&mut Payout, Refused> {
        let taken = (new.merchant_no.clone(), new.trade_no.clone());
        let racing = self.duplicates_while_hidden;
        let Some(key) = slot(&self.payouts, &taken, |payout| payout.visible_from_ms, racing, now_ms) else {
            return Err(Refused::new(
                Reason::DuplicateTradeNo,
                format!("tradeNo: payout {} was already used by merchant {}", new.trade_no, new.merchant_no),
            ));
        };
        self.hold(&new.merchant_no, &new.region, new.amount, "a payout", today)?;
        let payout = Payout {
            plat_form_trade_no: self.new_platform_id(),
            merchant_no: new.merchant_no,
            region: new.region,
            trade_no: new.trade_no,
            status: ProcessStatus::Processing,
            amount: new.amount,
            remark: new.remark,
            channel: new.channel,
            notify_url: new.notify_url,
            created_at_ms: now_ms,
            visible_from_ms: now_ms,
            finished_at_ms: None,
        };
        self.timeline.push(Made::Payout(key.clone()));
        Ok(self.payouts.entry(key).or_insert(payout))
    }

    /// Pays out (`paid`) or fails a processing payout and returns it
    /// updated; a failed payout's amount is available again.
    pub(crate) fn settle_payout(
        &mut self,
        merchant_no: &str,
        trade_no: &str,
        paid: bool,
        now_ms: i64,
    ) -> Result<Payout, FinishError> {
        let payout =
            self.payouts.get_mut(&(merchant_no.to_owned(), trade_no.to_owned())).ok_or(FinishError::NotFound)?;
        if payout.status != ProcessStatus::Processing {
            return Err(FinishError::Finished(payout.status));
        }
        let opening = self.openings.get(merchant_no).copied().unwrap_or_default();
        let key = (payout.merchant_no.clone(), payout.region.clone());
        let ledger = self.ledgers.entry(key).or_insert_with(|| Ledger::opened_with(opening));
        ledger.release(payout.amount, paid).ok_or(FinishError::Overflow)?;
        payout.status = if paid { ProcessStatus::Succeeded } else { ProcessStatus::Failed };
        payout.finished_at_ms = Some(now_ms);
        Ok(payout.clone())
    }

    /// The merchant's payout `trade_no`.
    pub(crate) fn payout(&self, merchant_no: &str, trade_no: &str) -> Option<&Payout> {
        self.payouts.get(&(merchant_no.to_owned(), trade_no.to_owned()))
    }

    /// Makes a processing record of a kind served from its spec, unless a
    /// record of the same endpoint and merchant has its keys (a record
    /// without keys is never a duplicate), or its money cannot move as its
    /// spec says: money going out or back is taken from the available
    /// balance now (refused as a payout is when it is not there), money
    /// coming in counts against the books' ceiling until it is paid.
    pub(crate) fn create_record(
        &mut self,
        new: NewSpecRecord,
        now_ms: i64,
        today: LocalDay,
    ) -> Result<&mut SpecRecord, Refused> {
        let values: Vec<String> = new.keys.iter().map(|(_, value)| value.clone()).collect();
        let key = (new.merchant_no.clone(), new.endpoint.clone(), values);
        if !new.keys.is_empty() && self.record_keys.contains_key(&key) {
            let names: Vec<&str> = new.keys.iter().map(|(name, _)| name.as_str()).collect();
            return Err(Refused::new(
                Reason::DuplicateTradeNo,
                format!(
                    "{}: {} {} was already used by merchant {}",
                    names.join(", "),
                    new.kind,
                    key.2.join(", "),
                    new.merchant_no
                ),
            ));
        }
        match (new.money, new.amount) {
            (MoneyFlow::Out | MoneyFlow::Back, Some(amount)) => {
                self.hold(&new.merchant_no, &new.region, amount, &format!("a {}", new.kind), today)?;
            }
            (MoneyFlow::In, Some(amount)) => {
                let ledger = self.ledger_mut((new.merchant_no.clone(), new.region.clone()));
                ledger.ceiling = ledger
                    .ceiling
                    .checked_add(amount)
                    .ok_or_else(|| overflow_refusal(&format!("a {} of {}", new.kind, amount.text(2))))?;
            }
            (MoneyFlow::None, _) | (_, None) => {}
        }
        let platform_id = self.new_platform_id();
        let record = SpecRecord {
            merchant_no: new.merchant_no,
            region: new.region,
            endpoint: new.endpoint,
            kind: new.kind,
            money: new.money,
            keys: new.keys,
            platform_id: platform_id.clone(),
            platform_id_name: new.platform_id_name,
            status: ProcessStatus::Processing,
            amount: new.amount,
            notify_url: new.notify_url,
            created_at_ms: now_ms,
            visible_from_ms: now_ms,
            finished_at_ms: None,
        };
        if !record.keys.is_empty() {
            self.record_keys.insert(key, platform_id.clone());
        }
        self.timeline.push(Made::Record(platform_id.clone()));
        Ok(self.records.entry(platform_id).or_insert(record))
    }

    /// Finishes a processing record (`succeeded` or failed) and returns it
    /// updated, moving its money as its spec says: money going out or back
    /// leaves the frozen balance, for good or back to the available one;
    /// money coming in is paid in today (available from the next local
    /// day, as an order's), or no longer expected.
    pub(crate) fn settle_record(
        &mut self,
        platform_id: &str,
        succeeded: bool,
        now_ms: i64,
        today: LocalDay,
    ) -> Result<SpecRecord, FinishError> {
        let record = self.records.get(platform_id).ok_or(FinishError::NotFound)?;
        if record.status != ProcessStatus::Processing {
            return Err(FinishError::Finished(record.status));
        }
        let (money, amount) = (record.money, record.moved());
        let opening = self.opening_balance(&record.merchant_no);
        let ledger_key = (record.merchant_no.clone(), record.region.clone());
        if let Some(amount) = amount {
            let ledger = self.ledgers.entry(ledger_key).or_insert_with(|| Ledger::opened_with(opening));
            let moved = match money {
                MoneyFlow::Out | MoneyFlow::Back => ledger.release(amount, succeeded),
                MoneyFlow::In => ledger.receive(amount, if succeeded { amount } else { Cents::ZERO }, today),
                MoneyFlow::None => Some(()),
            };
            moved.ok_or(FinishError::Overflow)?;
        }
        let record = self.records.get_mut(platform_id).ok_or(FinishError::NotFound)?;
        record.status = if succeeded { ProcessStatus::Succeeded } else { ProcessStatus::Failed };
        record.finished_at_ms = Some(now_ms);
        Ok(record.clone())
    }

    /// The merchant's record made by `endpoint` (`region/name`) under the
    /// key values `values`, in its spec's key order.
    pub(crate) fn record_by_keys(&self, merchant_no: &str, endpoint: &str, values: Vec<String>) -> Option<&SpecRecord> {
        let key = (merchant_no.to_owned(), endpoint.to_owned(), values);
        self.record_keys.get(&key).and_then(|platform_id| self.records.get(platform_id))
    }

    /// The record with this platform id.
    pub(crate) fn record(&self, platform_id: &str) -> Option<&SpecRecord> {
        self.records.get(platform_id)
    }

    /// Every record of a kind served from its spec, oldest first.
    pub(crate) fn records(&self) -> Vec<SpecRecord> {
        self.timeline
            .iter()
            .filter_map(|made| match made {
                Made::Record(platform_id) => self.records.get(platform_id).cloned(),
                Made::Order(_) | Made::Payout(_) => None,
            })
            .collect()
    }

    /// Every order, payout and record, oldest first.
    pub(crate) fn timeline(&self) -> impl DoubleEndedIterator<Item = Entry<'_>> {
        self.timeline.iter().filter_map(|made| self.entry(made))
    }

    /// How many orders, payouts and records there are.
    pub(crate) fn timeline_len(&self) -> usize {
        self.timeline.len()
    }

    /// `take` orders, payouts and records, newest first, after the `skip`
    /// newest; only those are looked up, so a page costs its rows.
    pub(crate) fn newest(&self, skip: usize, take: usize) -> impl Iterator<Item = Entry<'_>> {
        self.timeline.iter().rev().skip(skip).take(take).filter_map(|made| self.entry(made))
    }

    fn entry(&self, made: &Made) -> Option<Entry<'_>> {
        match made {
            Made::Order(key) => self.orders.get(key).map(Entry::Order),
            Made::Payout(key) => self.payouts.get(key).map(Entry::Payout),
            Made::Record(platform_id) => self.records.get(platform_id).map(Entry::Record),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(whole: u64) -> Cents {
        Cents::whole(whole).expect("fits")
    }

    fn new_order(trade_no: &str, ip: &str) -> NewOrder {
        NewOrder {
            merchant_no: "M".into(),
            region: "taiwan".into(),
            trade_no: trade_no.into(),
            amount: units(301),
            remark: None,
            channel: None,
            ip_address: ip.into(),
            notify_url: "http://127.0.0.1:1/n".into(),
            return_url: "http://127.0.0.1:1/r".into(),
        }
    }

    fn create(state: &mut State, trade_no: &str, ip: &str) -> Result<String, Reason> {
        state
            .create_order(new_order(trade_no, ip), 0, LocalDay(0), |id| format!("/cashier/{id}"))
            .map(|order| order.plat_form_trade_no.clone())
            .map_err(|refused| refused.reason)
    }

    #[test]
    fn platform_ids_look_like_the_gateways_and_are_unique() {
        let mut state = State::default();
        let ids: Vec<_> = (0..200).map(|_| state.new_platform_id()).collect();
        assert!(
            ids.iter().all(|id| id.len() == 16 && id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()))
        );
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn seeded_platform_ids_are_the_same_for_a_seed_and_differ_between_seeds() {
        let ids = |seed| {
            let mut state = State::default();
            state.seed_platform_ids(seed);
            (0..50).map(|_| state.new_platform_id()).collect::<Vec<_>>()
        };
        assert_eq!(ids(7), ids(7));
        assert_ne!(ids(7), ids(8));
        // Locked, so a seed names the same ids on every build and platform.
        assert_eq!(ids(7)[..2], ["35tvs57ep7ils0qw", "sgip1ihukdvpv8wu"]);
        let mut unique = ids(7);
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 50);
    }

    #[test]
    fn duplicate_trade_numbers_and_ip_limits() {
        let mut state = State::default();
        let first = create(&mut state, "T0", "1.1.1.1").expect("created");
        assert_eq!(create(&mut state, "T0", "2.2.2.2"), Err(Reason::DuplicateTradeNo));
        for n in 1..IP_DAILY_ORDERS {
            create(&mut state, &format!("T{n}"), "1.1.1.1").expect("under the limit");
        }
        assert_eq!(create(&mut state, "T99", "1.1.1.1"), Err(Reason::IpDailyOrderLimit));
        // Another day, another count.
        assert!(state.create_order(new_order("T100", "1.1.1.1"), 0, LocalDay(1), |id| id.to_owned()).is_ok());

        let mut ids = vec![first];
        for n in 0..3 {
            ids.push(create(&mut state, &format!("S{n}"), "3.3.3.3").expect("created"));
        }
        for id in &ids[1..] {
            state.settle(id, PaymentOutcome::Pay, 0, LocalDay(0)).expect("paying");
        }
        assert_eq!(create(&mut state, "S9", "3.3.3.3"), Err(Reason::IpSuccessLimit));
    }

    #[test]
    fn orders_without_a_payer_ip_have_no_ip_limit() {
        let mut state = State::default();
        for n in 0..=IP_DAILY_ORDERS {
            create(&mut state, &format!("N{n}"), "").expect("no IP, no limit");
        }
    }

    #[test]
    fn outcomes_and_balances() {
        let mut state = State::default();
        let a = create(&mut state, "A", "1.1.1.1").expect("created");
        let b = create(&mut state, "B", "1.1.1.1").expect("created");
        let c = create(&mut state, "C", "1.1.1.1").expect("created");
        assert_eq!(state.settle(&a, PaymentOutcome::Pay, 5, LocalDay(0)).map(|o| o.paid_amount), Ok(units(301)));
        assert_eq!(state.settle(&b, PaymentOutcome::Partial, 5, LocalDay(1)).map(|o| o.paid_amount), Ok(units(150)));
        assert_eq!(state.settle(&c, PaymentOutcome::Fail, 5, LocalDay(1)).map(|o| o.paid_amount), Ok(Cents::ZERO));
        assert_eq!(
            state.settle(&a, PaymentOutcome::Fail, 5, LocalDay(1)).map(|o| o.paid_amount),
            Err(SettleError::Finished(OrderStatus::Paid))
        );
        assert_eq!(
            state.settle("nope", PaymentOutcome::Fail, 5, LocalDay(1)).map(|o| o.paid_amount),
            Err(SettleError::NotFound)
        );
        assert_eq!(
            state.balance("M", "taiwan", LocalDay(1)),
            Some(Balance { available: units(301), frozen: Cents::ZERO, unsettled: units(150) })
        );
        assert_eq!(state.balance("other", "taiwan", LocalDay(1)), Some(Balance::default()));
        assert_eq!(state.balance("M", "thailand", LocalDay(1)), Some(Balance::default()), "another region's");
        assert_eq!(state.balances_of("M", LocalDay(1)).len(), 1, "money moved in one region");
    }

    #[test]
    fn an_order_of_nothing_cannot_be_paid_in_part_and_stays_paying() {
        let mut state = State::default();
        let order = NewOrder { amount: Cents::ZERO, ..new_order("Z", "1.1.1.1") };
        let id = state
            .create_order(order, 0, LocalDay(0), |id| id.to_owned())
            .map(|order| order.plat_form_trade_no.clone())
            .expect("created");
        assert!(matches!(state.settle(&id, PaymentOutcome::Partial, 0, LocalDay(0)), Err(SettleError::NotPossible(_))));
        assert_eq!(state.order_by_platform(&id).map(|order| order.status), Some(OrderStatus::Paying));
        assert_eq!(state.balance("M", "taiwan", LocalDay(1)), Some(Balance::default()));
    }

    #[test]
    fn a_partial_payment_never_pays_more_than_the_order() {
        let mut state = State::default();
        let order = NewOrder { amount: Cents::parse("0.01").expect("an amount"), ..new_order("C", "1.1.1.1") };
        let id = state
            .create_order(order, 0, LocalDay(0), |id| id.to_owned())
            .map(|order| order.plat_form_trade_no.clone())
            .expect("created");
        let paid = state.settle(&id, PaymentOutcome::Partial, 0, LocalDay(0)).map(|o| o.paid_amount.text(2));
        assert_eq!(paid.as_deref(), Ok("0.01"));
    }

    fn new_record(money: MoneyFlow, keys: &[(&str, &str)], amount: Option<u64>) -> NewSpecRecord {
        NewSpecRecord {
            merchant_no: "M".into(),
            region: "testland".into(),
            endpoint: "testland/refund".into(),
            kind: "refund".into(),
            money,
            keys: keys.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect(),
            platform_id_name: "platFormTradeNo",
            amount: amount.map(units),
            notify_url: None,
        }
    }

    fn make(state: &mut State, new: NewSpecRecord) -> Result<String, Reason> {
        state
            .create_record(new, 0, LocalDay(0))
            .map(|record| record.platform_id.clone())
            .map_err(|refused| refused.reason)
    }

    fn testland(state: &State, today: i64) -> Balance {
        state.balance("M", "testland", LocalDay(today)).expect("within the bound")
    }

    #[test]
    fn records_are_unique_by_merchant_endpoint_and_every_key() {
        let mut state = State::default();
        let keys = [("tradeNo", "T1"), ("refundNo", "R1")];
        let first = make(&mut state, new_record(MoneyFlow::None, &keys, None)).expect("made");
        assert_eq!(make(&mut state, new_record(MoneyFlow::None, &keys, None)), Err(Reason::DuplicateTradeNo));
        let refused =
            state.create_record(new_record(MoneyFlow::None, &keys, None), 0, LocalDay(0)).expect_err("refused");
        assert_eq!(refused.message, "tradeNo, refundNo: refund T1, R1 was already used by merchant M");
        make(&mut state, new_record(MoneyFlow::None, &[("tradeNo", "T1"), ("refundNo", "R2")], None))
            .expect("one key differs");
        let other_merchant = NewSpecRecord { merchant_no: "N".into(), ..new_record(MoneyFlow::None, &keys, None) };
        make(&mut state, other_merchant).expect("another merchant's");
        let other_endpoint =
            NewSpecRecord { endpoint: "testland/reversal".into(), ..new_record(MoneyFlow::None, &keys, None) };
        make(&mut state, other_endpoint).expect("another endpoint's");
        // Nothing identifies a record without keys: each create makes one.
        make(&mut state, new_record(MoneyFlow::None, &[], None)).expect("made");
        make(&mut state, new_record(MoneyFlow::None, &[], None)).expect("made again");

        let found = state.record_by_keys("M", "testland/refund", vec!["T1".into(), "R1".into()]);
        assert_eq!(found.map(|record| record.platform_id.as_str()), Some(first.as_str()));
        assert!(state.record_by_keys("M", "testland/refund", vec!["R1".into(), "T1".into()]).is_none(), "in key order");
        assert_eq!(state.records().len(), 6);
        assert_eq!(state.timeline_len(), 6);
        assert!(matches!(state.newest(0, 1).next(), Some(Entry::Record(record)) if record.keys.is_empty()));
    }

    #[test]
    fn money_out_or_back_is_held_at_creation_then_gone_or_given_back() {
        for money in [MoneyFlow::Out, MoneyFlow::Back] {
            let mut state = State::default();
            state.set_opening_balance("M", units(100));
            let too_much = new_record(money, &[("refundNo", "R0")], Some(101));
            assert_eq!(make(&mut state, too_much), Err(Reason::InsufficientBalance));
            assert_eq!(state.records().len(), 0, "nothing stored");
            let kept = make(&mut state, new_record(money, &[("refundNo", "R1")], Some(30))).expect("made");
            let lost = make(&mut state, new_record(money, &[("refundNo", "R2")], Some(50))).expect("made");
            assert_eq!(
                testland(&state, 0),
                Balance { available: units(20), frozen: units(80), unsettled: Cents::ZERO }
            );
            let done = state.settle_record(&kept, true, 7, LocalDay(0)).expect("processing");
            assert_eq!((done.status, done.finished_at_ms), (ProcessStatus::Succeeded, Some(7)));
            state.settle_record(&lost, false, 7, LocalDay(0)).expect("processing");
            assert_eq!(
                testland(&state, 0),
                Balance { available: units(70), frozen: Cents::ZERO, unsettled: Cents::ZERO }
            );
            assert_eq!(
                state.settle_record(&lost, true, 8, LocalDay(0)).map(|record| record.status),
                Err(FinishError::Finished(ProcessStatus::Failed))
            );
            assert_eq!(testland(&state, 0).available, units(70), "finished once");
        }
    }

    #[test]
    fn money_in_is_paid_in_when_it_succeeds_and_settles_as_an_orders() {
        let mut state = State::default();
        let paid = make(&mut state, new_record(MoneyFlow::In, &[("depositNo", "D1")], Some(40))).expect("made");
        let failed = make(&mut state, new_record(MoneyFlow::In, &[("depositNo", "D2")], Some(60))).expect("made");
        assert_eq!(testland(&state, 0), Balance::default(), "nothing until it succeeds");
        state.settle_record(&paid, true, 0, LocalDay(0)).expect("processing");
        state.settle_record(&failed, false, 0, LocalDay(0)).expect("processing");
        assert_eq!(testland(&state, 0), Balance { available: Cents::ZERO, frozen: Cents::ZERO, unsettled: units(40) });
        assert_eq!(testland(&state, 1), Balance { available: units(40), frozen: Cents::ZERO, unsettled: Cents::ZERO });
        assert_eq!(
            state.ledger(&("M".into(), "testland".into())).ceiling,
            units(40),
            "the failed one no longer counts"
        );
    }

    #[test]
    fn no_money_moves_for_none_or_without_an_amount() {
        let mut state = State::default();
        state.set_opening_balance("M", units(10));
        let none = make(&mut state, new_record(MoneyFlow::None, &[("k", "1")], Some(1_000))).expect("made");
        let no_amount = make(&mut state, new_record(MoneyFlow::Back, &[("k", "2")], None)).expect("made");
        for id in [&none, &no_amount] {
            state.settle_record(id, true, 0, LocalDay(0)).expect("processing");
        }
        assert_eq!(testland(&state, 0), Balance { available: units(10), ..Balance::default() });
        assert!(state.balances_of("M", LocalDay(0)).is_empty(), "no ledger was even opened");
        assert_eq!(
            state.settle_record("nope", true, 0, LocalDay(0)).map(|record| record.status),
            Err(FinishError::NotFound)
        );
    }

    #[test]
    fn a_partial_payment_of_one_unit_pays_a_hundredth() {
        let mut state = State::default();
        let order = NewOrder { amount: units(1), ..new_order("A", "1.1.1.1") };
        let id = state
            .create_order(order, 0, LocalDay(0), |id| id.to_owned())
            .map(|order| order.plat_form_trade_no.clone())
            .expect("created");
        let paid = state.settle(&id, PaymentOutcome::Partial, 0, LocalDay(0)).map(|o| o.paid_amount.text(2));
        assert_eq!(paid.as_deref(), Ok("0.01"));
    }
}

//! The sandbox's memory: orders, the payers' IP counters, the delivery log.
//!
//! Plain data behind one `Mutex` (see `server.rs`); nothing here awaits, so
//! the lock is never held across an `.await`.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::Serialize;

use crate::clock::LocalDay;
use crate::delivery::{DeliveryOutcome, DeliveryRecord, DeliveryTrigger, NoticeState, NotifiedKind};
use crate::envelope::{Refusal, SandboxCode};
use crate::money::Cents;

/// Orders one payer IP may place in a local day.
pub(crate) const IP_DAILY_ORDERS: u32 = 10;
/// Successful (`0000`) orders one payer IP may have in a local day.
pub(crate) const IP_DAILY_SUCCESSES: u32 = 3;
/// The delivery log keeps this many records, dropping the oldest.
const DELIVERY_LOG_LIMIT: usize = 10_000;

/// Locks the state. A panic elsewhere while holding the lock cannot leave
/// it half-updated in a way that matters to a sandbox, so poisoning is ignored.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An order's business status, as `data.status` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderStatus {
    Paying,
    Paid,
    PartlyPaid,
    Failed,
}

impl OrderStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Paying => "0015",
            Self::Paid => "0000",
            Self::PartlyPaid => "0001",
            Self::Failed => "00029",
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::Paying => "Paying",
            Self::Paid => "success",
            Self::PartlyPaid => "partial payment",
            Self::Failed => "failed",
        }
    }
}

impl Serialize for OrderStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// A payout's status, as `data.status` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PayoutStatus {
    /// Accepted, not finished (`0015`): its amount is frozen.
    Processing,
    /// Paid out (`0000`).
    PaidOut,
    /// Failed (`00029`): its amount is back in the available balance.
    Failed,
}

impl PayoutStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Processing => "0015",
            Self::PaidOut => "0000",
            Self::Failed => "00029",
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::PaidOut => "success",
            Self::Failed => "failed",
        }
    }
}

impl Serialize for PayoutStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// A payout out of a merchant's balance.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Payout {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    pub(crate) trade_no: String,
    pub(crate) plat_form_trade_no: String,
    pub(crate) status: PayoutStatus,
    pub(crate) amount: Cents,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) remark: Option<String>,
    /// The bank or channel fields the request named, for people to read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) channel: Option<String>,
    pub(crate) notify_url: String,
    pub(crate) created_at_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) finished_at_ms: Option<i64>,
    /// Queries find it from this time on (a gateway slow to create).
    #[serde(skip)]
    pub(crate) visible_from_ms: i64,
}

/// What a payout request asks for.
#[derive(Debug, Clone)]
pub(crate) struct NewPayout {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    pub(crate) trade_no: String,
    pub(crate) amount: Cents,
    pub(crate) remark: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) notify_url: String,
}

/// What the payer did at the cashier: the choice its buttons, the control
/// route `POST /sandbox/orders/{tradeNo}/{action}` and
/// [`SandboxControl::finish_order`](crate::SandboxControl::finish_order) make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Paid the whole amount (`0000`).
    Pay,
    /// Paid half, rounded down, at least 1 (`0001`).
    Partial,
    /// Failed (`00029`).
    Fail,
}

impl PaymentOutcome {
    /// `pay`, `partial` or `fail`, as in the cashier's and the control routes.
    pub fn parse(action: &str) -> Option<Self> {
        match action {
            "pay" => Some(Self::Pay),
            "partial" => Some(Self::Partial),
            "fail" => Some(Self::Fail),
            _ => None,
        }
    }
}

/// A cashier order.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Order {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    pub(crate) trade_no: String,
    pub(crate) plat_form_trade_no: String,
    pub(crate) status: OrderStatus,
    /// The amount ordered.
    pub(crate) amount: Cents,
    /// The amount paid.
    pub(crate) paid_amount: Cents,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) remark: Option<String>,
    /// The channel fields the checkout named, for people to read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) channel: Option<String>,
    pub(crate) ip_address: String,
    pub(crate) notify_url: String,
    pub(crate) return_url: String,
    pub(crate) payment_url: String,
    pub(crate) created_at_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) finished_at_ms: Option<i64>,
    #[serde(skip)]
    pub(crate) paid_day: Option<LocalDay>,
    /// Queries find it from this time on (a gateway slow to create).
    #[serde(skip)]
    pub(crate) visible_from_ms: i64,
}

/// What a checkout asks to create.
#[derive(Debug, Clone)]
pub(crate) struct NewOrder {
    pub(crate) merchant_no: String,
    /// The region of the endpoint that created it: whose balance it moves.
    pub(crate) region: String,
    pub(crate) trade_no: String,
    pub(crate) amount: Cents,
    pub(crate) remark: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) ip_address: String,
    pub(crate) notify_url: String,
    pub(crate) return_url: String,
}

/// Why an outcome cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SettleError {
    NotFound,
    /// The order already has a final status.
    Finished(OrderStatus),
    /// The outcome cannot be applied to this order (a part of nothing).
    NotPossible(&'static str),
    /// The books would not fit the amount (creating the order makes sure
    /// they do, so this is the guard of a broken invariant).
    Overflow,
}

/// Why a payout's outcome cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PayoutSettleError {
    NotFound,
    /// The payout already has a final status.
    Finished(PayoutStatus),
    /// The books would not fit the amount (see `SettleError::Overflow`).
    Overflow,
}

/// The refusal of anything whose amount the books cannot hold.
pub(crate) fn overflow_refusal(what: &str) -> Refusal {
    Refusal::new(
        SandboxCode::AmountOverflow,
        format!("amount: {what} would take the merchant's balance past the largest amount the sandbox keeps"),
    )
}

/// The three balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Balance {
    pub(crate) available: Cents,
    pub(crate) frozen: Cents,
    pub(crate) unsettled: Cents,
}

/// A merchant's money, kept as it moves, so that a balance is read without
/// walking every order: paid-in amounts by the local day they were paid
/// (available from the next day on), and what payouts hold or took.
///
/// `ceiling` is the opening balance, everything paid in and every paying
/// order's whole amount: the most the ledger can ever hold. An order that
/// would take it past what [`Cents`] holds is refused when it is created,
/// so every later sum (a payment, a balance) fits; those sums are checked
/// all the same, and one that does not fit is an error, never a clamp.
#[derive(Debug, Clone, Default)]
struct Ledger {
    opening: Cents,
    paid_in_by_day: BTreeMap<LocalDay, Cents>,
    frozen: Cents,
    paid_out: Cents,
    ceiling: Cents,
}

impl Ledger {
    fn opened_with(opening: Cents) -> Self {
        Self { opening, ceiling: opening, ..Self::default() }
    }

    fn balance(&self, today: LocalDay) -> Option<Balance> {
        let settled = Cents::checked_sum(self.paid_in_by_day.range(..today).map(|(_, amount)| *amount))?;
        let unsettled = Cents::checked_sum(self.paid_in_by_day.range(today..).map(|(_, amount)| *amount))?;
        let available = self.opening.checked_add(settled)?.checked_sub(self.frozen)?.checked_sub(self.paid_out)?;
        Some(Balance { available, frozen: self.frozen, unsettled })
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct IpUsage {
    orders: u32,
    successes: u32,
}

type OrderKey = (String, String);
/// `(merchantNo, region)`.
type LedgerKey = (String, String);

/// An order or a payout, borrowed from the state.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Entry<'a> {
    Order(&'a Order),
    Payout(&'a Payout),
}

/// Everything the sandbox remembers.
///
/// The tables are B-trees, not hash maps: a hash map doubles all at once,
/// and the three of them, growing together under the state lock, held up
/// the request that crossed 7/8 of a power of two for milliseconds (12 ms
/// at 7,168 orders), an answer time no gateway has. A B-tree grows a node
/// at a time, so every checkout costs about the same.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// By `(merchantNo, tradeNo)`.
    orders: BTreeMap<OrderKey, Order>,
    /// By `(merchantNo, tradeNo)`: a payout's number is its own namespace.
    payouts: BTreeMap<OrderKey, Payout>,
    /// Each merchant's money in each region, by `(merchantNo, region)`:
    /// a region has its own currency, so its own balance.
    ledgers: BTreeMap<LedgerKey, Ledger>,
    /// Each merchant's opening balance, which every region's ledger starts with.
    openings: BTreeMap<String, Cents>,
    by_platform: BTreeMap<String, OrderKey>,
    ip_usage: BTreeMap<(String, LocalDay), IpUsage>,
    /// Every order and payout in the order they were created, so listing
    /// the newest needs no sort.
    timeline: Vec<(NotifiedKind, OrderKey)>,
    /// Oldest first; a ring, so trimming the oldest is O(1) under the lock.
    deliveries: VecDeque<DeliveryRecord>,
    /// By `platFormTradeNo` (unique across orders and payouts): each
    /// notification sent so far.
    notices: BTreeMap<String, NoticeState>,
    sequence: u64,
    ids: PlatformIds,
    /// Whether a create under the `tradeNo` of records all still hidden
    /// from queries makes another record (see `slot`).
    duplicates_while_hidden: bool,
}

/// Where new `platFormTradeNo`s come from.
#[derive(Debug, Clone)]
enum PlatformIds {
    /// Keys drawn at random for each sandbox: ids no one can guess.
    Random(RandomState),
    /// Drawn from a seed: the same ids in the same order every run.
    Seeded(u64),
}

impl Default for PlatformIds {
    fn default() -> Self {
        Self::Random(RandomState::new())
    }
}

impl PlatformIds {
    /// 64 bits for the `sequence`-th id, `lane` 0 or 1.
    fn draw(&self, sequence: u64, lane: u8) -> u64 {
        match self {
            Self::Random(keys) => keys.hash_one((sequence, lane)),
            // splitmix64's finaliser: stable across builds and platforms,
            // unlike std's hasher, so a seed names the same ids everywhere.
            Self::Seeded(seed) => mix(*seed ^ mix(sequence.wrapping_mul(2).wrapping_add(u64::from(lane)))),
        }
    }
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

fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl State {
    /// Counts an order against the payer's IP for `today`, unless the IP is
    /// at a daily limit. Regions whose requests carry no payer IP (empty)
    /// have no such limit.
    fn count_ip_order(&mut self, ip_address: &str, today: LocalDay) -> Result<(), Refusal> {
        if ip_address.is_empty() {
            return Ok(());
        }
        let usage = self.ip_usage.entry((ip_address.to_owned(), today)).or_default();
        if usage.successes >= IP_DAILY_SUCCESSES {
            return Err(Refusal::new(
                SandboxCode::IpSuccessLimit,
                format!(
                    "ipAddress: {ip_address} already has {} successful orders today (limit {IP_DAILY_SUCCESSES})",
                    usage.successes
                ),
            ));
        }
        if usage.orders >= IP_DAILY_ORDERS {
            return Err(Refusal::new(
                SandboxCode::IpDailyOrderLimit,
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
    ) -> Result<&mut Order, Refusal> {
        let taken = (new.merchant_no.clone(), new.trade_no.clone());
        let racing = self.duplicates_while_hidden;
        let Some(key) = slot(&self.orders, &taken, |order| order.visible_from_ms, racing, now_ms) else {
            return Err(Refusal::new(
                SandboxCode::DuplicateTradeNo,
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
        self.timeline.push((NotifiedKind::Order, key.clone()));
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
            let high = u128::from(self.ids.draw(self.sequence, 0));
            let low = u128::from(self.ids.draw(self.sequence, 1));
            let mut number = (high << 64) | low;
            let mut id = String::with_capacity(16);
            for _ in 0..16 {
                let digit = u32::try_from(number % 36).unwrap_or(0);
                id.push(char::from_digit(digit, 36).unwrap_or('0'));
                number /= 36;
            }
            if !self.by_platform.contains_key(&id) && !self.payouts.values().any(|p| p.plat_form_trade_no == id) {
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
        // Everything is worked out before anything changes.
        let key = (order.merchant_no.clone(), order.region.clone());
        let opening = self.openings.get(&order.merchant_no).copied().unwrap_or_default();
        let ledger = self.ledgers.entry(key).or_insert_with(|| Ledger::opened_with(opening));
        let day_total = ledger.paid_in_by_day.get(&today).copied().unwrap_or_default().checked_add(paid);
        // What the order will not pay no longer counts against the ceiling.
        let ceiling = ledger.ceiling.checked_sub(order.amount).and_then(|rest| rest.checked_add(paid));
        let (Some(day_total), Some(ceiling)) = (day_total, ceiling) else {
            return Err(SettleError::Overflow);
        };
        ledger.ceiling = ceiling;
        if !paid.is_zero() {
            ledger.paid_in_by_day.insert(today, day_total);
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

    /// Creates a processing payout, unless its `tradeNo` is taken or it is
    /// more than the available balance.
    pub(crate) fn create_payout(
        &mut self,
        new: NewPayout,
        now_ms: i64,
        today: LocalDay,
    ) -> Result<&mut Payout, Refusal> {
        let taken = (new.merchant_no.clone(), new.trade_no.clone());
        let racing = self.duplicates_while_hidden;
        let Some(key) = slot(&self.payouts, &taken, |payout| payout.visible_from_ms, racing, now_ms) else {
            return Err(Refusal::new(
                SandboxCode::DuplicateTradeNo,
                format!("tradeNo: payout {} was already used by merchant {}", new.trade_no, new.merchant_no),
            ));
        };
        let available = self
            .balance(&new.merchant_no, &new.region, today)
            .ok_or_else(|| overflow_refusal(&format!("a payout of {}", new.amount.text(2))))?
            .available;
        if new.amount > available {
            return Err(Refusal::new(
                SandboxCode::InsufficientBalance,
                format!("amount: {} is more than the available balance, {}", new.amount.text(2), available.text(2)),
            ));
        }
        let payout = Payout {
            plat_form_trade_no: self.new_platform_id(),
            merchant_no: new.merchant_no,
            region: new.region,
            trade_no: new.trade_no,
            status: PayoutStatus::Processing,
            amount: new.amount,
            remark: new.remark,
            channel: new.channel,
            notify_url: new.notify_url,
            created_at_ms: now_ms,
            visible_from_ms: now_ms,
            finished_at_ms: None,
        };
        let ledger = self.ledger_mut((payout.merchant_no.clone(), payout.region.clone()));
        // No more than the available balance, so it fits.
        ledger.frozen = ledger
            .frozen
            .checked_add(payout.amount)
            .ok_or_else(|| overflow_refusal(&format!("a payout of {}", payout.amount.text(2))))?;
        self.timeline.push((NotifiedKind::Payout, key.clone()));
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
    ) -> Result<Payout, PayoutSettleError> {
        let payout =
            self.payouts.get_mut(&(merchant_no.to_owned(), trade_no.to_owned())).ok_or(PayoutSettleError::NotFound)?;
        if payout.status != PayoutStatus::Processing {
            return Err(PayoutSettleError::Finished(payout.status));
        }
        let opening = self.openings.get(merchant_no).copied().unwrap_or_default();
        let key = (payout.merchant_no.clone(), payout.region.clone());
        let ledger = self.ledgers.entry(key).or_insert_with(|| Ledger::opened_with(opening));
        let frozen = ledger.frozen.checked_sub(payout.amount);
        let paid_out = if paid { ledger.paid_out.checked_add(payout.amount) } else { Some(ledger.paid_out) };
        let (Some(frozen), Some(paid_out)) = (frozen, paid_out) else {
            return Err(PayoutSettleError::Overflow);
        };
        (ledger.frozen, ledger.paid_out) = (frozen, paid_out);
        payout.status = if paid { PayoutStatus::PaidOut } else { PayoutStatus::Failed };
        payout.finished_at_ms = Some(now_ms);
        Ok(payout.clone())
    }

    /// The merchant's payout `trade_no`.
    pub(crate) fn payout(&self, merchant_no: &str, trade_no: &str) -> Option<&Payout> {
        self.payouts.get(&(merchant_no.to_owned(), trade_no.to_owned()))
    }

    /// Logs an attempt and updates its notification's state; numbers the
    /// attempt (1 for a notification's first) and returns it as logged.
    pub(crate) fn record_attempt(&mut self, mut record: DeliveryRecord) -> DeliveryRecord {
        let notice = self.notices.entry(record.plat_form_trade_no.clone()).or_insert_with(|| NoticeState {
            kind: record.kind,
            merchant_no: record.merchant_no.clone(),
            trade_no: record.trade_no.clone(),
            status: record.status.clone(),
            url: record.url.clone(),
            last_body: String::new(),
            attempts: 0,
            acknowledged: false,
            next_attempt_at_ms: None,
        });
        notice.attempts = notice.attempts.saturating_add(1);
        record.attempt = notice.attempts;
        notice.last_body.clone_from(&record.body);
        if record.outcome == DeliveryOutcome::Acknowledged {
            notice.acknowledged = true;
            notice.next_attempt_at_ms = None;
        } else if record.trigger == DeliveryTrigger::Ladder {
            notice.next_attempt_at_ms = record.next_attempt_at_ms;
        }
        if self.deliveries.len() >= DELIVERY_LOG_LIMIT {
            self.deliveries.pop_front();
        }
        self.deliveries.push_back(record.clone());
        record
    }

    /// The delivery log, oldest first.
    pub(crate) fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.deliveries.iter().cloned().collect()
    }

    /// The delivery log, oldest first, borrowed.
    pub(crate) fn delivery_log(&self) -> impl DoubleEndedIterator<Item = &DeliveryRecord> {
        self.deliveries.iter()
    }

    /// The notification of the order or payout `plat_form_trade_no`, once
    /// one was attempted.
    pub(crate) fn notice(&self, plat_form_trade_no: &str) -> Option<&NoticeState> {
        self.notices.get(plat_form_trade_no)
    }

    /// Every order and payout, oldest first.
    pub(crate) fn timeline(&self) -> impl DoubleEndedIterator<Item = Entry<'_>> {
        self.timeline.iter().filter_map(|(kind, key)| self.entry(*kind, key))
    }

    /// How many orders and payouts there are.
    pub(crate) fn timeline_len(&self) -> usize {
        self.timeline.len()
    }

    /// `take` orders and payouts, newest first, after the `skip` newest;
    /// only those are looked up, so a page costs its rows.
    pub(crate) fn newest(&self, skip: usize, take: usize) -> impl Iterator<Item = Entry<'_>> {
        self.timeline.iter().rev().skip(skip).take(take).filter_map(|(kind, key)| self.entry(*kind, key))
    }

    fn entry(&self, kind: NotifiedKind, key: &OrderKey) -> Option<Entry<'_>> {
        match kind {
            NotifiedKind::Order => self.orders.get(key).map(Entry::Order),
            NotifiedKind::Payout => self.payouts.get(key).map(Entry::Payout),
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

    fn create(state: &mut State, trade_no: &str, ip: &str) -> Result<String, SandboxCode> {
        state
            .create_order(new_order(trade_no, ip), 0, LocalDay(0), |id| format!("/cashier/{id}"))
            .map(|order| order.plat_form_trade_no.clone())
            .map_err(|refusal| refusal.code)
    }

    #[test]
    fn platform_ids_look_like_the_gateways_and_are_unique() {
        let mut state = State::default();
        let ids: Vec<_> = (0..200).map(|_| state.new_platform_id()).collect();
        assert!(ids
            .iter()
            .all(|id| id.len() == 16 && id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())));
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
        assert_eq!(create(&mut state, "T0", "2.2.2.2"), Err(SandboxCode::DuplicateTradeNo));
        for n in 1..IP_DAILY_ORDERS {
            create(&mut state, &format!("T{n}"), "1.1.1.1").expect("under the limit");
        }
        assert_eq!(create(&mut state, "T99", "1.1.1.1"), Err(SandboxCode::IpDailyOrderLimit));
        // Another day, another count.
        assert!(state.create_order(new_order("T100", "1.1.1.1"), 0, LocalDay(1), |id| id.to_owned()).is_ok());

        let mut ids = vec![first];
        for n in 0..3 {
            ids.push(create(&mut state, &format!("S{n}"), "3.3.3.3").expect("created"));
        }
        for id in &ids[1..] {
            state.settle(id, PaymentOutcome::Pay, 0, LocalDay(0)).expect("paying");
        }
        assert_eq!(create(&mut state, "S9", "3.3.3.3"), Err(SandboxCode::IpSuccessLimit));
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

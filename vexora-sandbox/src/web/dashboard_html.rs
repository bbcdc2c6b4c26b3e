//! The dashboard's HTML, from a [`View`]: the clock and balances panels, the
//! filters, and a card for each order, payout or record with its
//! notification attempts. Written with maud, so every text from outside
//! (trade numbers, keys, kind names, remarks, channels, URLs, the
//! merchant's answers) is escaped by construction: no text is ever pasted
//! in as markup.

use std::borrow::Cow;

use maud::{Markup, html};

use crate::book::clock::SandboxClock;
use crate::book::ledger::Balance;
use crate::book::status::{OrderStatus, ProcessStatus};
use crate::notify::delivery::{DeliveryOutcome, DeliveryRecord, DeliveryTrigger, NoticeState, NotifiedKind};
use crate::web::form::url_encode;
use crate::web::listing::{DEFAULT_PER_PAGE, Filter, Item, Listing, Row, StatusGroup};

/// The clock buttons: label and seconds.
const ADVANCES: [(&str, u64); 3] = [("+1 hour", 3600), ("+3 hours", 3 * 3600), ("+1 day", 24 * 3600)];

/// What one page shows, read from the book under its lock and rendered
/// after it is released.
#[derive(Debug, Clone)]
pub(crate) struct View {
    pub(crate) filter: Filter,
    pub(crate) listing: Listing,
    /// Each merchant's balances in each region where money moved, by
    /// merchant number and region.
    pub(crate) balances: Vec<BalanceRow>,
    pub(crate) now_ms: i64,
    pub(crate) clock_offset_ms: i64,
}

/// One line of the balances panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BalanceRow {
    pub(crate) merchant_no: String,
    /// `None`: no money moved yet, so every region has the opening balance.
    pub(crate) region: Option<String>,
    /// `None`: the books broke their bound, shown as such rather than as a
    /// wrong amount.
    pub(crate) balance: Option<Balance>,
}

/// The dashboard's body.
pub(crate) fn render(view: &View, clock: &SandboxClock) -> Markup {
    let listing = &view.listing;
    html! {
        div.panels {
            (clock_panel(view, clock))
            (balances_panel(&view.balances))
        }
        (filters(&view.filter))
        (summary(view))
        @if listing.rows.is_empty() {
            p.card.empty #empty {
                @if listing.matched == 0 && view.filter == Filter::default() {
                    "No orders or payouts yet: create one with the SDK, "
                    code { "vexora checkout" } " or " code { "vexora payout" } "."
                } @else if listing.matched == 0 {
                    "Nothing matches this filter."
                } @else {
                    "No rows on this page."
                }
            }
        }
        @for row in &listing.rows {
            (item(row, view, clock))
        }
        @if listing.last_page(view.filter.per_page) > 1 {
            div.summary { (pages(view)) }
        }
    }
}

/// The hidden field every action form carries: where to come back to.
fn back_field(filter: &Filter) -> Markup {
    html! { input type="hidden" name="back" value=(filter.query_string(filter.page)); }
}

fn clock_panel(view: &View, clock: &SandboxClock) -> Markup {
    let offset = match view.clock_offset_ms {
        _ if clock.is_simulated() => "simulated: it moves only when advanced".to_owned(),
        0 => "in step with the system clock".to_owned(),
        ahead if ahead > 0 => format!("{} ahead of the system clock", span(ahead.unsigned_abs())),
        behind => format!("{} behind the system clock", span(behind.unsigned_abs())),
    };
    html! {
        section.card #clock {
            h2 { "Sandbox clock" }
            div.clock-now #clock-now { (clock.format_local(view.now_ms)) }
            div.muted { "gateway local time; " (offset) }
            div.row-forms {
                @for (label, seconds) in ADVANCES {
                    form method="post" action="/sandbox/clock/advance" {
                        (back_field(&view.filter))
                        input type="hidden" name="seconds" value=(seconds);
                        button.secondary type="submit" { (label) }
                    }
                }
                form method="post" action="/sandbox/clock/advance" {
                    (back_field(&view.filter))
                    input type="number" name="seconds" min="0" step="1" placeholder="seconds"
                        aria-label="seconds to advance" required;
                    " "
                    button.secondary #advance type="submit" { "Advance" }
                }
            }
            p.note {
                "Moving the clock forward fires the retries that come due and settles earlier days' collections (T+1)."
            }
        }
    }
}

fn balances_panel(balances: &[BalanceRow]) -> Markup {
    html! {
        section.card #balances {
            h2 { "Balances" }
            table {
                thead {
                    tr {
                        th { "Merchant" } th { "Region" } th.num { "Available" } th.num { "Unsettled" }
                        th.num { "Frozen" }
                    }
                }
                tbody {
                    @for BalanceRow { merchant_no, region, balance } in balances {
                        tr {
                            td.mono { (merchant_no) }
                            td { (region.as_deref().unwrap_or("every region")) }
                            @match balance {
                                Some(balance) => {
                                    td.num { (balance.available.text(2)) }
                                    td.num { (balance.unsettled.text(2)) }
                                    td.num { (balance.frozen.text(2)) }
                                }
                                None => { td.num { "overflow" } td.num { "overflow" } td.num { "overflow" } }
                            }
                        }
                    }
                }
            }
            p.note {
                "Each region has its own currency and balance: a payout is paid from its region's. "
                "Paid today: unsettled until the next local day. Processing payouts: frozen."
            }
        }
    }
}

fn filters(filter: &Filter) -> Markup {
    html! {
        form.card.filters method="get" action="/sandbox" #filters {
            input type="search" #search name="q" value=(filter.search)
                placeholder="Search a trade number (yours or the platform's)" aria-label="trade number";
            select name="kind" #kind aria-label="kind" {
                option value="" { "Orders and payouts" }
                option value="order" selected[filter.kind == Some(NotifiedKind::Order)] { "Orders" }
                option value="payout" selected[filter.kind == Some(NotifiedKind::Payout)] { "Payouts" }
            }
            select name="status" #status aria-label="status" {
                option value="" { "Any status" }
                @for group in StatusGroup::ALL {
                    option value=(group.param()) selected[filter.status == Some(group)] { (status_label(group)) }
                }
            }
            @if filter.per_page != DEFAULT_PER_PAGE {
                input type="hidden" name="per_page" value=(filter.per_page);
            }
            button type="submit" #apply-filters { "Show" }
            " "
            a href="/sandbox" { "Clear" }
        }
    }
}

fn status_label(group: StatusGroup) -> &'static str {
    match group {
        StatusGroup::Pending => "Pending (0015)",
        StatusGroup::Success => "Success (0000)",
        StatusGroup::Partial => "Partly paid (0001)",
        StatusGroup::Failed => "Failed (00029)",
    }
}

fn summary(view: &View) -> Markup {
    let (filter, listing) = (&view.filter, &view.listing);
    let first = (filter.page - 1).saturating_mul(filter.per_page) + 1;
    let shown = if listing.rows.is_empty() {
        format!("{} in all", listing.matched)
    } else {
        format!("{first}–{} of {}, newest first", first + listing.rows.len() - 1, listing.matched)
    };
    html! {
        div.summary #summary {
            span { (shown) }
            (pages(view))
        }
    }
}

fn pages(view: &View) -> Markup {
    let (filter, last) = (&view.filter, view.listing.last_page(view.filter.per_page));
    html! {
        nav.pages {
            @if filter.page > 1 {
                a rel="prev" href=(filter.url((filter.page - 1).min(last))) { "← Newer" }
            }
            span { "Page " (filter.page) " of " (last) }
            @if filter.page < last {
                a rel="next" href=(filter.url(filter.page + 1)) { "Older →" }
            }
        }
    }
}

/// The parts of an order, a payout or a record a row shows.
struct Facts<'a> {
    kind: NotifiedKind,
    /// Where its actions post, below `/sandbox/`.
    path: String,
    merchant_no: &'a str,
    trade_no: Cow<'a, str>,
    plat_form_trade_no: &'a str,
    /// A record's keys, `(wire name, value)`; none for the others.
    keys: &'a [(String, String)],
    /// A record's money flow, as its spec names it.
    money: Option<&'static str>,
    status: (&'static str, &'static str, &'static str),
    amount: String,
    channel: Option<&'a str>,
    remark: Option<&'a str>,
    notify_url: Option<&'a str>,
    created_at_ms: i64,
    finished_at_ms: Option<i64>,
    /// The decisions still open: (action, label, button class).
    actions: &'static [(&'static str, &'static str, Option<&'static str>)],
}

impl<'a> Facts<'a> {
    fn of(item: &'a Item) -> Self {
        match item {
            Item::Order(order) => Self {
                kind: NotifiedKind::Order,
                path: format!("orders/{}", url_encode(&order.trade_no)),
                merchant_no: &order.merchant_no,
                trade_no: Cow::Borrowed(&order.trade_no),
                plat_form_trade_no: &order.plat_form_trade_no,
                keys: &[],
                money: None,
                status: (order.status.code(), order.status.message(), tone(order.status.code())),
                amount: match order.status {
                    OrderStatus::PartlyPaid => {
                        format!("{} of {}", order.paid_amount.text(2), order.amount.text(2))
                    }
                    _ => order.amount.text(2),
                },
                channel: order.channel.as_deref(),
                remark: order.remark.as_deref(),
                notify_url: Some(&order.notify_url),
                created_at_ms: order.created_at_ms,
                finished_at_ms: order.finished_at_ms,
                actions: if order.status == OrderStatus::Paying {
                    &[
                        ("pay", "Pay in full", None),
                        ("partial", "Pay part", Some("secondary")),
                        ("fail", "Fail", Some("danger")),
                    ]
                } else {
                    &[]
                },
            },
            Item::Payout(payout) => Self {
                kind: NotifiedKind::Payout,
                path: format!("payouts/{}", url_encode(&payout.trade_no)),
                merchant_no: &payout.merchant_no,
                trade_no: Cow::Borrowed(&payout.trade_no),
                plat_form_trade_no: &payout.plat_form_trade_no,
                keys: &[],
                money: None,
                status: (payout.status.code(), payout.status.message(), tone(payout.status.code())),
                amount: payout.amount.text(2),
                channel: payout.channel.as_deref(),
                remark: payout.remark.as_deref(),
                notify_url: Some(&payout.notify_url),
                created_at_ms: payout.created_at_ms,
                finished_at_ms: payout.finished_at_ms,
                actions: if payout.status == ProcessStatus::Processing {
                    &[("pay", "Pay out", None), ("fail", "Fail", Some("danger"))]
                } else {
                    &[]
                },
            },
            Item::Record(record) => Self {
                kind: NotifiedKind::Other(record.kind.clone()),
                path: format!("records/{}", url_encode(&record.platform_id)),
                merchant_no: &record.merchant_no,
                trade_no: Cow::Owned(record.trade_no()),
                plat_form_trade_no: &record.platform_id,
                keys: &record.keys,
                money: Some(record.money.name()),
                status: (record.status.code(), record.status.message(), tone(record.status.code())),
                amount: record.amount.map_or_else(|| "—".to_owned(), |amount| amount.text(2)),
                channel: None,
                remark: None,
                notify_url: record.notify_url.as_deref(),
                created_at_ms: record.created_at_ms,
                finished_at_ms: record.finished_at_ms,
                actions: if record.status == ProcessStatus::Processing {
                    &[("success", "Succeed", None), ("failed", "Fail", Some("danger"))]
                } else {
                    &[]
                },
            },
        }
    }
}

/// The pill colour of a status code.
fn tone(code: &str) -> &'static str {
    match code {
        "0000" => "good",
        "00029" => "bad",
        _ => "wait",
    }
}

fn item(row: &Row, view: &View, clock: &SandboxClock) -> Markup {
    let facts = Facts::of(&row.item);
    let (kind, kind_class) = match &facts.kind {
        NotifiedKind::Order => ("Order", "kind-order"),
        NotifiedKind::Payout => ("Payout", "kind-payout"),
        NotifiedKind::Other(name) => (name.as_str(), "kind-record"),
    };
    let id = facts.plat_form_trade_no;
    let (code, message, pill) = facts.status;
    let path = format!("/sandbox/{}", facts.path);
    let hidden = html! {
        input type="hidden" name="merchant_no" value=(facts.merchant_no);
        (back_field(&view.filter))
    };
    let dash = |text: Option<&str>| text.filter(|text| !text.is_empty()).unwrap_or("—").to_owned();
    html! {
        article.item id={ "row-" (id) } data-trade-no=(facts.trade_no) {
            div.item-head {
                span class={ "kind " (kind_class) } { (kind) }
                h3.trade-no { (facts.trade_no) }
                span class={ "pill " (pill) " status" } { (code) " " (message) }
                span.amount { (facts.amount) }
            }
            dl.facts {
                div { dt { "Platform no." } dd.mono.plat-form-trade-no { (id) } }
                div { dt { "Merchant" } dd.mono { (facts.merchant_no) } }
                @if !facts.keys.is_empty() {
                    div {
                        dt { "Keys" }
                        dd.mono.keys {
                            @for (at, (name, value)) in facts.keys.iter().enumerate() {
                                @if at > 0 { ", " }
                                span.key { (name) " = " (value) }
                            }
                        }
                    }
                }
                @if let Some(money) = facts.money {
                    div { dt { "Money" } dd.money { (money) } }
                }
                div { dt { "Channel" } dd.channel { (dash(facts.channel)) } }
                div { dt { "Created" } dd { (clock.format_local(facts.created_at_ms)) } }
                div { dt { "Finished" } dd { (facts.finished_at_ms.map_or_else(|| "—".to_owned(), |at| clock.format_local(at))) } }
                div { dt { "Remark" } dd.remark { (dash(facts.remark)) } }
                div { dt { "notifyUrl" } dd.mono.notify-url { (dash(facts.notify_url)) } }
            }
            @if !facts.actions.is_empty() || row.notice.is_some() {
                div.row-forms {
                    @for (action, label, class) in facts.actions {
                        form method="post" action={ (path) "/" (action) } {
                            (hidden)
                            button type="submit" class=[*class] id={ (action) "-" (id) } { (label) }
                        }
                    }
                    @if row.notice.is_some() {
                        form method="post" action={ (path) "/resend" } {
                            (hidden)
                            button.secondary type="submit" id={ "resend-" (id) } { "Resend last notification now" }
                        }
                    }
                }
            }
            (notice_line(row.notice.as_ref(), &facts, view.now_ms, clock))
            @if !row.attempts.is_empty() {
                (attempts(&row.attempts, row.notice.as_ref().and_then(|notice| notice.next_attempt_at_ms), view.now_ms, clock))
            }
        }
    }
}

fn notice_line(notice: Option<&NoticeState>, facts: &Facts<'_>, now_ms: i64, clock: &SandboxClock) -> Markup {
    html! {
        p.notice-line {
            "Notification: "
            @match notice {
                None if matches!(facts.kind, NotifiedKind::Other(_)) && facts.notify_url.is_none_or(str::is_empty) => {
                    "none (it has no notifyUrl)"
                }
                None => {
                    "none yet (sent once it is "
                    (match facts.kind {
                        NotifiedKind::Order => "paid, partly paid or failed",
                        NotifiedKind::Payout => "paid out or failed",
                        NotifiedKind::Other(_) => "succeeded or failed",
                    })
                    ")"
                }
                Some(notice) => {
                    @let attempts = match notice.attempts {
                        1 => "1 attempt".to_owned(),
                        n => format!("{n} attempts"),
                    };
                    @match (notice.acknowledged, notice.next_attempt_at_ms) {
                        (true, _) => { span.pill.good { "acknowledged" } " " (attempts) }
                        (false, Some(due)) => {
                            span.pill.wait { "not acknowledged" } " " (attempts) "; next retry due "
                            (clock.format_local(due)) " (" (relative(due, now_ms)) ")"
                        }
                        (false, None) => { span.pill.bad { "not acknowledged" } " " (attempts) "; no retry left" }
                    }
                }
            }
        }
    }
}

/// The attempts' table; `pending` is when the ladder's next retry is due,
/// if one still is (an earlier attempt's retry has happened, or was made
/// unnecessary by an acknowledgement).
fn attempts(attempts: &[DeliveryRecord], pending: Option<i64>, now_ms: i64, clock: &SandboxClock) -> Markup {
    html! {
        table.attempts {
            thead {
                tr {
                    th { "#" } th { "Sent" } th { "URL" } th { "Merchant's answer" } th.num { "Took" }
                    th { "Next retry" } th { "Signed body" }
                }
            }
            tbody {
                @for attempt in attempts {
                    tr.attempt {
                        td {
                            (attempt.attempt)
                            @if attempt.trigger == DeliveryTrigger::Resend { " " span.kind { "resend" } }
                        }
                        td.when { (attempt.time) }
                        td.url.mono { (attempt.url) }
                        td.answer {
                            @match attempt.response_status {
                                Some(status) => {
                                    @let pill = match attempt.outcome {
                                        DeliveryOutcome::Acknowledged => "good",
                                        DeliveryOutcome::Rejected | DeliveryOutcome::Failed => "bad",
                                    };
                                    span class={ "pill " (pill) } { "HTTP " (status) }
                                    " "
                                    code.answer-body { (attempt.response_body.as_deref().unwrap_or_default()) }
                                }
                                None => {
                                    span.pill.bad { "no answer" }
                                    " "
                                    (attempt.error.as_deref().unwrap_or_default())
                                }
                            }
                        }
                        td.num { (took(attempt.duration_ms)) }
                        td.when {
                            @match attempt.next_attempt_at_ms {
                                Some(due) if Some(due) == pending => {
                                    strong { (clock.format_local(due)) } " (" (relative(due, now_ms)) ")"
                                }
                                Some(due) => span.muted { (clock.format_local(due)) },
                                None => "—",
                            }
                        }
                        td {
                            details {
                                summary { (attempt.body.len()) " bytes" }
                                pre.body { (attempt.body) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `in 2 h 59 min`, `5 s ago`, `now`.
fn relative(at_ms: i64, now_ms: i64) -> String {
    match at_ms.saturating_sub(now_ms) {
        ahead if ahead >= 1000 => format!("in {}", span(ahead.unsigned_abs())),
        behind if behind <= -1000 => format!("due {} ago", span(behind.unsigned_abs())),
        _ => "due now".to_owned(),
    }
}

/// A length of time in its two largest units: `1 d 3 h`, `2 h 59 min`, `12 s`.
fn span(ms: u64) -> String {
    let seconds = ms / 1000;
    let (days, hours, minutes) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, _) => format!("{minutes} min {} s", seconds % 60),
        (0, _, _) => format!("{hours} h {minutes} min"),
        _ => format!("{days} d {hours} h"),
    }
}

/// An attempt's duration: `12 ms`, `1.5 s`.
fn took(ms: u64) -> String {
    if ms < 1000 { format!("{ms} ms") } else { format!("{}.{} s", ms / 1000, ms % 1000 / 100) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_naturally() {
        assert_eq!(span(12_345), "12 s");
        assert_eq!(span(59 * 60_000 + 1_000), "59 min 1 s");
        assert_eq!(span(3 * 3_600_000 + 60_000), "3 h 1 min");
        assert_eq!(span(27 * 3_600_000), "1 d 3 h");
        assert_eq!(relative(10_000, 0), "in 10 s");
        assert_eq!(relative(0, 10_000), "due 10 s ago");
        assert_eq!(relative(500, 0), "due now");
        assert_eq!((took(12), took(1_540)), ("12 ms".to_owned(), "1.5 s".to_owned()));
    }
}

//! The dashboard at `GET /sandbox`: what the sandbox holds, for a person.
//! Merchants' balances, the sandbox clock, and orders and payouts newest
//! first, each with every notification attempt (body, answer, timing, next
//! retry). Its buttons are plain HTML forms posting to the same `/sandbox/`
//! routes scripts use (see `caller.rs`); the page has no script at all.
//!
//! Every text that came from outside (trade numbers, remarks, channels,
//! URLs, the merchant's answers) goes through [`escape`] on its way in.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::book::clock::{LocalDay, SandboxClock};
use crate::book::ledger::Balance;
use crate::book::records::{OrderStatus, PayoutStatus};
use crate::book::state::State as SandboxState;
use crate::notify::delivery::{DeliveryOutcome, DeliveryRecord, DeliveryTrigger, NoticeState, NotifiedKind};
use crate::web::html::{escape, url_encode};
use crate::web::listing::{self, Filter, Item, Listing, Row, StatusGroup};
use crate::web::Web;

/// The page's stylesheet, served at [`STYLESHEET_PATH`].
const STYLESHEET: &str = include_str!("dashboard.css");
/// Where the stylesheet is served.
pub(crate) const STYLESHEET_PATH: &str = "/sandbox/dashboard.css";
/// Nothing runs on the page and nothing loads from elsewhere; forms post only here.
const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// The clock buttons: label and seconds.
const ADVANCES: [(&str, u64); 3] = [("+1 hour", 3600), ("+3 hours", 3 * 3600), ("+1 day", 24 * 3600)];

/// What one page shows, read from the state under its lock and rendered
/// after it is released.
#[derive(Debug, Clone)]
pub(crate) struct View {
    pub(crate) filter: Filter,
    pub(crate) listing: Listing,
    /// Each merchant's balances in each region where money moved, by
    /// merchant number and region (`None`: the books broke their bound,
    /// shown as such rather than as a wrong amount).
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
    pub(crate) balance: Option<Balance>,
}

/// Each merchant's rows: one per region where money moved, or one for
/// every region when none did.
pub(crate) fn balance_rows<'a>(
    state: &SandboxState,
    merchants: impl IntoIterator<Item = &'a str>,
    today: LocalDay,
) -> Vec<BalanceRow> {
    let mut rows = Vec::new();
    for merchant_no in merchants {
        let regions = state.balances_of(merchant_no, today);
        if regions.is_empty() {
            let opening = Balance { available: state.opening_balance(merchant_no), ..Balance::default() };
            rows.push(BalanceRow { merchant_no: merchant_no.to_owned(), region: None, balance: Some(opening) });
        }
        rows.extend(regions.into_iter().map(|(region, balance)| BalanceRow {
            merchant_no: merchant_no.to_owned(),
            region: Some(region),
            balance,
        }));
    }
    rows
}

/// `GET /sandbox?kind=&status=&q=&page=&per_page=`.
pub(crate) async fn page(State(web): State<Arc<Web>>, uri: Uri) -> Response {
    let filter = Filter::from_query(uri.query().unwrap_or_default());
    let clock = &web.book.clock;
    let now_ms = clock.now_ms();
    let today = clock.day_of(now_ms);
    let (listing, balances) = {
        let state = web.book.state();
        let balances = balance_rows(&state, web.book.merchant_numbers(), today);
        (listing::list(&state, &web.notifier.log(), &filter), balances)
    };
    let view = View { filter, listing, balances, now_ms, clock_offset_ms: clock.offset_ms() };
    html_response(StatusCode::OK, "Dashboard", &render(&view, clock))
}

/// `GET /sandbox/dashboard.css`.
pub(crate) async fn stylesheet() -> Response {
    let mut response = (StatusCode::OK, STYLESHEET).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// The dashboard's address showing `filter` at `page`.
pub(crate) fn url_of(filter: &Filter, page: usize) -> String {
    let query = filter.query_string(page);
    if query.is_empty() {
        "/sandbox".to_owned()
    } else {
        format!("/sandbox?{query}")
    }
}

/// A page saying why a dashboard action was refused, with a way back.
pub(crate) fn problem(status: StatusCode, message: &str, back: &Filter) -> Response {
    let body = format!(
        r#"<section class="card problem" id="problem"><h2>The sandbox refused this ({status})</h2>
<p>{message}</p><p><a href="{back}">Back to the dashboard</a></p></section>"#,
        status = status.as_u16(),
        message = escape(message),
        back = escape(&url_of(back, back.page)),
    );
    html_response(status, "Refused", &body)
}

/// An HTML page of ours, with the headers that keep markup in it inert.
fn html_response(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Vexora sandbox</title>
<link rel="stylesheet" href="{STYLESHEET_PATH}">
</head>
<body>
<header class="top"><a href="/sandbox">Vexora sandbox dashboard</a> <span class="badge">SANDBOX · NO REAL MONEY</span></header>
<main>
{body}
</main>
</body>
</html>
"#,
        title = escape(title),
    );
    let mut response = (status, page).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Not `no-referrer`: with it Chromium posts the page's own forms with
    // `Origin: null`, which the action routes must refuse.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page's body.
pub(crate) fn render(view: &View, clock: &SandboxClock) -> String {
    let mut html = String::with_capacity(16 * 1024 + view.listing.rows.len() * 4 * 1024);
    html.push_str(r#"<div class="panels">"#);
    clock_panel(&mut html, view, clock);
    balances_panel(&mut html, view);
    html.push_str("</div>\n");
    filters(&mut html, &view.filter);
    summary(&mut html, view);
    if view.listing.rows.is_empty() {
        let empty = if view.listing.matched == 0 && view.filter == Filter::default() {
            "No orders or payouts yet: create one with the SDK, <code>vexora checkout</code> or <code>vexora payout</code>."
        } else if view.listing.matched == 0 {
            "Nothing matches this filter."
        } else {
            "No rows on this page."
        };
        let _ = write!(html, r#"<p class="card empty" id="empty">{empty}</p>"#);
    }
    for row in &view.listing.rows {
        item(&mut html, row, view, clock);
    }
    pagination(&mut html, view);
    html
}

/// The hidden fields every action form carries: where to come back to.
fn back_field(filter: &Filter) -> String {
    format!(r#"<input type="hidden" name="back" value="{}">"#, escape(&filter.query_string(filter.page)))
}

fn clock_panel(html: &mut String, view: &View, clock: &SandboxClock) {
    let offset = match view.clock_offset_ms {
        _ if clock.is_simulated() => "simulated: it moves only when advanced".to_owned(),
        0 => "in step with the system clock".to_owned(),
        ahead if ahead > 0 => format!("{} ahead of the system clock", span(ahead.unsigned_abs())),
        behind => format!("{} behind the system clock", span(behind.unsigned_abs())),
    };
    let _ = write!(
        html,
        r#"<section class="card" id="clock"><h2>Sandbox clock</h2>
<div class="clock-now" id="clock-now">{now}</div><div class="muted">gateway local time; {offset}</div>
<div class="row-forms">"#,
        now = clock.format_local(view.now_ms),
    );
    let back = back_field(&view.filter);
    for (label, seconds) in ADVANCES {
        let _ = write!(
            html,
            r#"<form method="post" action="/sandbox/clock/advance">{back}<input type="hidden" name="seconds" value="{seconds}"><button class="secondary" type="submit">{label}</button></form>"#
        );
    }
    let _ = write!(
        html,
        r#"<form method="post" action="/sandbox/clock/advance">{back}<input type="number" name="seconds" min="0" step="1" placeholder="seconds" aria-label="seconds to advance" required> <button class="secondary" id="advance" type="submit">Advance</button></form></div>
<p class="note">Moving the clock forward fires the retries that come due and settles earlier days' collections (T+1).</p></section>
"#
    );
}

fn balances_panel(html: &mut String, view: &View) {
    html.push_str(
        r#"<section class="card" id="balances"><h2>Balances</h2><table><thead><tr><th>Merchant</th><th>Region</th><th class="num">Available</th><th class="num">Unsettled</th><th class="num">Frozen</th></tr></thead><tbody>"#,
    );
    for BalanceRow { merchant_no, region, balance } in &view.balances {
        let [available, unsettled, frozen] = match balance {
            Some(balance) => [balance.available, balance.unsettled, balance.frozen].map(|amount| amount.text(2)),
            None => ["overflow", "overflow", "overflow"].map(str::to_owned),
        };
        let _ = write!(
            html,
            r#"<tr><td class="mono">{merchant}</td><td>{region}</td><td class="num">{available}</td><td class="num">{unsettled}</td><td class="num">{frozen}</td></tr>"#,
            merchant = escape(merchant_no),
            region = region.as_deref().map_or_else(|| "every region".to_owned(), escape),
        );
    }
    html.push_str(
        r#"</tbody></table><p class="note">Each region has its own currency and balance: a payout is paid from its region's. Paid today: unsettled until the next local day. Processing payouts: frozen.</p></section>
"#,
    );
}

fn filters(html: &mut String, filter: &Filter) {
    let selected = |on: bool| if on { " selected" } else { "" };
    let _ = write!(
        html,
        r#"<form class="card filters" method="get" action="/sandbox" id="filters">
<input type="search" id="search" name="q" value="{search}" placeholder="Search a trade number (yours or the platform's)" aria-label="trade number">
<select name="kind" id="kind" aria-label="kind"><option value="">Orders and payouts</option><option value="order"{order}>Orders</option><option value="payout"{payout}>Payouts</option></select>
<select name="status" id="status" aria-label="status"><option value="">Any status</option>"#,
        search = escape(&filter.search),
        order = selected(filter.kind == Some(NotifiedKind::Order)),
        payout = selected(filter.kind == Some(NotifiedKind::Payout)),
    );
    for group in StatusGroup::ALL {
        let label = match group {
            StatusGroup::Pending => "Pending (0015)",
            StatusGroup::Success => "Success (0000)",
            StatusGroup::Partial => "Partly paid (0001)",
            StatusGroup::Failed => "Failed (00029)",
        };
        let _ = write!(
            html,
            r#"<option value="{}"{}>{label}</option>"#,
            group.param(),
            selected(filter.status == Some(group))
        );
    }
    html.push_str("</select>");
    if filter.per_page != listing::DEFAULT_PER_PAGE {
        let _ = write!(html, r#"<input type="hidden" name="per_page" value="{}">"#, filter.per_page);
    }
    html.push_str(
        r#"<button type="submit" id="apply-filters">Show</button> <a href="/sandbox">Clear</a></form>
"#,
    );
}

fn summary(html: &mut String, view: &View) {
    let (filter, listing) = (&view.filter, &view.listing);
    let first = (filter.page - 1).saturating_mul(filter.per_page) + 1;
    let shown = if listing.rows.is_empty() {
        format!("{} in all", listing.matched)
    } else {
        format!("{first}–{} of {}, newest first", first + listing.rows.len() - 1, listing.matched)
    };
    let _ = write!(html, r#"<div class="summary" id="summary"><span>{shown}</span>"#);
    pages(html, view);
    html.push_str("</div>\n");
}

fn pagination(html: &mut String, view: &View) {
    if view.listing.last_page(view.filter.per_page) > 1 {
        html.push_str(r#"<div class="summary">"#);
        pages(html, view);
        html.push_str("</div>\n");
    }
}

fn pages(html: &mut String, view: &View) {
    let (filter, last) = (&view.filter, view.listing.last_page(view.filter.per_page));
    html.push_str(r#"<nav class="pages">"#);
    if filter.page > 1 {
        let previous = (filter.page - 1).min(last);
        let _ = write!(html, r#"<a rel="prev" href="{}">← Newer</a>"#, escape(&url_of(filter, previous)));
    }
    let _ = write!(html, "<span>Page {} of {last}</span>", filter.page);
    if filter.page < last {
        let _ = write!(html, r#"<a rel="next" href="{}">Older →</a>"#, escape(&url_of(filter, filter.page + 1)));
    }
    html.push_str("</nav>");
}

/// The parts of an order or a payout a row shows.
struct Facts<'a> {
    kind: NotifiedKind,
    merchant_no: &'a str,
    trade_no: &'a str,
    plat_form_trade_no: &'a str,
    status: (&'static str, &'static str, &'static str),
    amount: String,
    channel: Option<&'a str>,
    remark: Option<&'a str>,
    notify_url: &'a str,
    created_at_ms: i64,
    finished_at_ms: Option<i64>,
    /// The decisions still open: (action, label, button class).
    actions: &'static [(&'static str, &'static str, &'static str)],
}

impl<'a> Facts<'a> {
    fn of(item: &'a Item) -> Self {
        match item {
            Item::Order(order) => Self {
                kind: NotifiedKind::Order,
                merchant_no: &order.merchant_no,
                trade_no: &order.trade_no,
                plat_form_trade_no: &order.plat_form_trade_no,
                status: (order.status.code(), order.status.message(), tone(order.status.code())),
                amount: match order.status {
                    OrderStatus::PartlyPaid => {
                        format!("{} of {}", order.paid_amount.text(2), order.amount.text(2))
                    }
                    _ => order.amount.text(2),
                },
                channel: order.channel.as_deref(),
                remark: order.remark.as_deref(),
                notify_url: &order.notify_url,
                created_at_ms: order.created_at_ms,
                finished_at_ms: order.finished_at_ms,
                actions: if order.status == OrderStatus::Paying {
                    &[("pay", "Pay in full", ""), ("partial", "Pay part", "secondary"), ("fail", "Fail", "danger")]
                } else {
                    &[]
                },
            },
            Item::Payout(payout) => Self {
                kind: NotifiedKind::Payout,
                merchant_no: &payout.merchant_no,
                trade_no: &payout.trade_no,
                plat_form_trade_no: &payout.plat_form_trade_no,
                status: (payout.status.code(), payout.status.message(), tone(payout.status.code())),
                amount: payout.amount.text(2),
                channel: payout.channel.as_deref(),
                remark: payout.remark.as_deref(),
                notify_url: &payout.notify_url,
                created_at_ms: payout.created_at_ms,
                finished_at_ms: payout.finished_at_ms,
                actions: if payout.status == PayoutStatus::Processing {
                    &[("pay", "Pay out", ""), ("fail", "Fail", "danger")]
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

fn item(html: &mut String, row: &Row, view: &View, clock: &SandboxClock) {
    let facts = Facts::of(&row.item);
    let (kind, route) = match facts.kind {
        NotifiedKind::Order => ("Order", "orders"),
        NotifiedKind::Payout => ("Payout", "payouts"),
    };
    let id = escape(facts.plat_form_trade_no);
    let (code, message, pill) = facts.status;
    let _ = write!(
        html,
        r#"<article class="item" id="row-{id}" data-trade-no="{trade_no}">
<div class="item-head"><span class="kind kind-{kind_class}">{kind}</span><h3 class="trade-no">{trade_no}</h3><span class="pill {pill} status">{code} {message}</span><span class="amount">{amount}</span></div>
<dl class="facts"><div><dt>Platform no.</dt><dd class="mono plat-form-trade-no">{id}</dd></div><div><dt>Merchant</dt><dd class="mono">{merchant}</dd></div><div><dt>Channel</dt><dd class="channel">{channel}</dd></div><div><dt>Created</dt><dd>{created}</dd></div><div><dt>Finished</dt><dd>{finished}</dd></div><div><dt>Remark</dt><dd class="remark">{remark}</dd></div><div><dt>notifyUrl</dt><dd class="mono notify-url">{notify_url}</dd></div></dl>
"#,
        kind_class = route.trim_end_matches('s'),
        trade_no = escape(facts.trade_no),
        amount = escape(&facts.amount),
        merchant = escape(facts.merchant_no),
        channel = facts.channel.map_or_else(|| "—".to_owned(), escape),
        created = clock.format_local(facts.created_at_ms),
        finished = facts.finished_at_ms.map_or_else(|| "—".to_owned(), |at| clock.format_local(at)),
        remark = facts.remark.filter(|remark| !remark.is_empty()).map_or_else(|| "—".to_owned(), escape),
        notify_url = escape(facts.notify_url),
    );
    let path = format!("/sandbox/{route}/{}", url_encode(facts.trade_no));
    let hidden = format!(
        r#"<input type="hidden" name="merchant_no" value="{}">{}"#,
        escape(facts.merchant_no),
        back_field(&view.filter)
    );
    if !facts.actions.is_empty() || row.notice.is_some() {
        html.push_str(r#"<div class="row-forms">"#);
        for (action, label, class) in facts.actions {
            let _ = write!(
                html,
                r#"<form method="post" action="{path}/{action}">{hidden}<button type="submit" class="{class}" id="{action}-{id}">{label}</button></form>"#
            );
        }
        if row.notice.is_some() {
            let _ = write!(
                html,
                r#"<form method="post" action="{path}/resend">{hidden}<button type="submit" class="secondary" id="resend-{id}">Resend last notification now</button></form>"#
            );
        }
        html.push_str("</div>\n");
    }
    notice_line(html, row.notice.as_ref(), facts.kind, view.now_ms, clock);
    if !row.attempts.is_empty() {
        let pending = row.notice.as_ref().and_then(|notice| notice.next_attempt_at_ms);
        attempts(html, &row.attempts, pending, view.now_ms, clock);
    }
    html.push_str("</article>\n");
}

fn notice_line(html: &mut String, notice: Option<&NoticeState>, kind: NotifiedKind, now_ms: i64, clock: &SandboxClock) {
    let text = match notice {
        None => {
            let when = match kind {
                NotifiedKind::Order => "paid, partly paid or failed",
                NotifiedKind::Payout => "paid out or failed",
            };
            format!("Notification: none yet (sent once it is {when})")
        }
        Some(notice) => {
            let attempts = match notice.attempts {
                1 => "1 attempt".to_owned(),
                n => format!("{n} attempts"),
            };
            match (notice.acknowledged, notice.next_attempt_at_ms) {
                (true, _) => format!(r#"Notification: <span class="pill good">acknowledged</span> {attempts}"#),
                (false, Some(due)) => format!(
                    r#"Notification: <span class="pill wait">not acknowledged</span> {attempts}; next retry due {} ({})"#,
                    clock.format_local(due),
                    relative(due, now_ms)
                ),
                (false, None) => {
                    format!(r#"Notification: <span class="pill bad">not acknowledged</span> {attempts}; no retry left"#)
                }
            }
        }
    };
    let _ = writeln!(html, r#"<p class="notice-line">{text}</p>"#);
}

/// The attempts' table; `pending` is when the ladder's next retry is due,
/// if one still is (an earlier attempt's retry has happened, or was made
/// unnecessary by an acknowledgement).
fn attempts(html: &mut String, attempts: &[DeliveryRecord], pending: Option<i64>, now_ms: i64, clock: &SandboxClock) {
    html.push_str(
        r#"<table class="attempts"><thead><tr><th>#</th><th>Sent</th><th>URL</th><th>Merchant's answer</th><th class="num">Took</th><th>Next retry</th><th>Signed body</th></tr></thead><tbody>"#,
    );
    for attempt in attempts {
        let trigger = match attempt.trigger {
            DeliveryTrigger::Ladder => "",
            DeliveryTrigger::Resend => r#" <span class="kind">resend</span>"#,
        };
        let pill = match attempt.outcome {
            DeliveryOutcome::Acknowledged => "good",
            DeliveryOutcome::Rejected | DeliveryOutcome::Failed => "bad",
        };
        let answer = match (attempt.response_status, &attempt.response_body, &attempt.error) {
            (Some(status), body, _) => format!(
                r#"<span class="pill {pill}">HTTP {status}</span> <code class="answer-body">{}</code>"#,
                escape(body.as_deref().unwrap_or_default())
            ),
            (None, _, error) => {
                format!(r#"<span class="pill bad">no answer</span> {}"#, escape(error.as_deref().unwrap_or_default()))
            }
        };
        let next = match attempt.next_attempt_at_ms {
            Some(due) if Some(due) == pending => {
                format!(r#"<strong>{}</strong> ({})"#, clock.format_local(due), relative(due, now_ms))
            }
            Some(due) => format!(r#"<span class="muted">{}</span>"#, clock.format_local(due)),
            None => "—".to_owned(),
        };
        let _ = write!(
            html,
            r#"<tr class="attempt"><td>{number}{trigger}</td><td class="when">{time}</td><td class="url mono">{url}</td><td class="answer">{answer}</td><td class="num">{took}</td><td class="when">{next}</td><td><details><summary>{bytes} bytes</summary><pre class="body">{body}</pre></details></td></tr>"#,
            number = attempt.attempt,
            time = escape(&attempt.time),
            url = escape(&attempt.url),
            took = took(attempt.duration_ms),
            bytes = attempt.body.len(),
            body = escape(&attempt.body),
        );
    }
    html.push_str("</tbody></table>\n");
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
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{}.{} s", ms / 1000, ms % 1000 / 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::money::Cents;
    use crate::book::records::{NewOrder, NewPayout, PaymentOutcome};
    use crate::book::state::State;
    use crate::notify::delivery::AttemptLog;

    fn units(whole: u64) -> Cents {
        Cents::whole(whole).expect("fits")
    }

    fn clock() -> SandboxClock {
        SandboxClock::new(0, 480)
    }

    fn new_order(trade_no: &str, remark: Option<&str>, channel: Option<&str>, notify_url: &str) -> NewOrder {
        NewOrder {
            merchant_no: "0000000001".into(),
            region: "taiwan".into(),
            trade_no: trade_no.into(),
            amount: units(300),
            remark: remark.map(str::to_owned),
            channel: channel.map(str::to_owned),
            ip_address: String::new(),
            notify_url: notify_url.into(),
            return_url: "http://127.0.0.1:9/r".into(),
        }
    }

    fn view_of(state: &State, log: &AttemptLog, query: &str) -> View {
        let filter = Filter::from_query(query);
        View {
            listing: listing::list(state, log, &filter),
            filter,
            balances: balance_rows(state, ["0000000001"], LocalDay(1)),
            now_ms: 1_795_676_645_000,
            clock_offset_ms: 0,
        }
    }

    /// The trade numbers of a page's rows, top to bottom.
    fn rows(view: &View) -> Vec<String> {
        view.listing
            .rows
            .iter()
            .map(|row| match &row.item {
                Item::Order(order) => order.trade_no.clone(),
                Item::Payout(payout) => payout.trade_no.clone(),
            })
            .collect()
    }

    #[test]
    fn ten_thousand_orders_render_one_page_at_a_time() {
        let mut state = State::default();
        for n in 0..10_000i64 {
            let order = state
                .create_order(
                    new_order(&format!("T{n:05}"), None, None, "http://127.0.0.1:9/n"),
                    n,
                    LocalDay(0),
                    |id| format!("/cashier/{id}"),
                )
                .expect("created");
            if n % 10 == 0 {
                let id = order.plat_form_trade_no.clone();
                state.settle(&id, PaymentOutcome::Pay, n, LocalDay(0)).expect("paying");
            }
        }

        let view = view_of(&state, &AttemptLog::default(), "page=2&per_page=50");
        let expected: Vec<String> = (9900..9950).rev().map(|n| format!("T{n:05}")).collect();
        assert_eq!(rows(&view), expected, "page 2 is the 51st to 100th newest");
        assert_eq!(view.listing.matched, 10_000);
        let html = render(&view, &clock());
        assert!(html.contains("51–100 of 10000, newest first"), "the summary counts every match");
        assert!(html.contains("Page 2 of 200"));
        assert_eq!(html.matches(r#"<article class="item""#).count(), 50, "only the page is rendered");
        assert!(html.contains(r#"data-trade-no="T09949""#) && html.contains(r#"data-trade-no="T09900""#));
        assert!(!html.contains("T09950") && !html.contains("T09899"));
        assert!(html.contains(r#"<a rel="prev" href="/sandbox">"#), "a link to the first page");
        assert!(html.contains(r#"<a rel="next" href="/sandbox?page=3">"#), "a link to the next page");

        let paid = view_of(&state, &AttemptLog::default(), "status=success&kind=order");
        assert_eq!(paid.listing.matched, 1_000);
        assert_eq!(rows(&paid)[..2], ["T09990".to_owned(), "T09980".to_owned()]);
        let found = view_of(&state, &AttemptLog::default(), "q=t0004");
        assert_eq!(rows(&found), (40..50).rev().map(|n| format!("T{n:05}")).collect::<Vec<_>>());
        assert_eq!(view_of(&state, &AttemptLog::default(), "kind=payout").listing.matched, 0);
        let past_the_end = view_of(&state, &AttemptLog::default(), "page=999");
        assert!(past_the_end.listing.rows.is_empty());
        assert!(render(&past_the_end, &clock()).contains("No rows on this page."));
    }

    /// Markup, script and an entity, in every text that comes from outside.
    const HOSTILE: &str = r#"<script>alert(1)</script>"><img src=x onerror=alert(1)>&amp;'"#;

    fn assert_only_escaped(html: &str, at_least: usize) {
        for raw in ["<script", "<img", "&amp;'", "\"><img"] {
            assert!(!html.contains(raw), "{raw:?} appears unescaped");
        }
        let escaped = escape(HOSTILE);
        assert!(html.matches(&escaped).count() >= at_least, "expected {at_least} escaped copies in:\n{html}");
    }

    #[test]
    fn everything_from_outside_is_escaped() {
        let mut state = State::default();
        state.set_opening_balance("0000000001", units(1_000));
        let hostile_url = format!("http://127.0.0.1:9/{HOSTILE}");
        let order = state
            .create_order(new_order(HOSTILE, Some(HOSTILE), Some(HOSTILE), &hostile_url), 0, LocalDay(0), |id| {
                format!("/cashier/{id}")
            })
            .expect("created")
            .clone();
        state
            .create_payout(
                NewPayout {
                    merchant_no: "0000000001".into(),
                    region: "taiwan".into(),
                    trade_no: HOSTILE.into(),
                    amount: units(10),
                    remark: Some(HOSTILE.into()),
                    channel: Some(HOSTILE.into()),
                    notify_url: hostile_url.clone(),
                },
                0,
                LocalDay(0),
            )
            .expect("created");
        let mut log = AttemptLog::default();
        for (trigger, response_status, error) in
            [(DeliveryTrigger::Ladder, Some(500), None), (DeliveryTrigger::Resend, None, Some(HOSTILE.to_owned()))]
        {
            log.record_attempt(DeliveryRecord {
                kind: NotifiedKind::Order,
                merchant_no: order.merchant_no.clone(),
                trade_no: order.trade_no.clone(),
                plat_form_trade_no: order.plat_form_trade_no.clone(),
                status: "0000".into(),
                attempt: 0,
                trigger,
                url: hostile_url.clone(),
                body: format!(r#"{{"remark":"{HOSTILE}"}}"#),
                response_status,
                response_body: response_status.map(|_| HOSTILE.to_owned()),
                outcome: DeliveryOutcome::Rejected,
                error,
                duration_ms: 3,
                time: "2026-11-26 15:04:05".into(),
                timestamp_ms: 0,
                next_attempt_in_ms: Some(2000),
                next_attempt_at_ms: Some(2000),
            });
        }
        // The search box shows what was searched for.
        let view = view_of(&state, &log, &format!("q={}", url_encode(HOSTILE)));
        assert_eq!(view.listing.rows.len(), 2, "the order and the payout");
        let html = render(&view, &clock());
        // Per row: trade number (twice), channel, remark, notifyUrl; the
        // search box; per attempt: URL and body; the answer and the error.
        assert_only_escaped(&html, 2 * 5 + 1 + 2 * 2 + 2);
        assert!(html.contains(&format!("/sandbox/orders/{}/pay", url_encode(HOSTILE))), "paths are encoded");

        let refused =
            problem(StatusCode::CONFLICT, HOSTILE, &Filter::from_query(&format!("q={}", url_encode(HOSTILE))));
        let headers = refused.headers();
        assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().is_ok_and(|csp| csp.contains("default-src 'none'")));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }

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

//! The dashboard at `GET /sandbox`: what the sandbox holds, for a person.
//! Merchants' balances, the sandbox clock, and orders and payouts newest
//! first, each with every notification attempt (body, answer, timing, next
//! retry). Its buttons are plain HTML forms posting to the same `/sandbox/`
//! routes scripts use (see `caller.rs`); the page has no script at all. Its
//! HTML is `dashboard_html.rs`'s, served as `page.rs` serves every page of
//! ours; this file reads what a page shows.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::book::calendar::LocalDay;
use crate::book::ledger::Balance;
use crate::book::state::State as SandboxState;
use crate::web::Web;
use crate::web::dashboard_html::{self, BalanceRow, View};
use crate::web::listing::{self, Filter};
use crate::web::page::html_response;

/// The page's stylesheet, served at [`page::STYLESHEET_PATH`](crate::web::page::STYLESHEET_PATH).
const STYLESHEET: &str = include_str!("dashboard.css");
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
    html_response(StatusCode::OK, "Dashboard", dashboard_html::render(&view, clock))
}

/// `GET /sandbox/dashboard.css`.
pub(crate) async fn stylesheet() -> Response {
    let mut response = (StatusCode::OK, STYLESHEET).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::clock::SandboxClock;
    use crate::book::money::Cents;
    use crate::book::records::{NewOrder, NewPayout, PaymentOutcome};
    use crate::book::state::State;
    use crate::notify::delivery::{AttemptLog, DeliveryOutcome, DeliveryRecord, DeliveryTrigger, NotifiedKind};
    use crate::web::form::url_encode;
    use crate::web::listing::Item;
    use crate::web::page;

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
                Item::Record(record) => record.trade_no(),
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
        let html = dashboard_html::render(&view, &clock()).into_string();
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
        assert!(dashboard_html::render(&past_the_end, &clock()).into_string().contains("No rows on this page."));
    }

    /// Markup, script and an entity, in every text that comes from outside.
    const HOSTILE: &str = r#"<script>alert(1)</script>"><img src=x onerror=alert(1)>&amp;'"#;
    /// `HOSTILE` as text in HTML, in an element or a double-quoted attribute
    /// (the only kind the pages write).
    const ESCAPED: &str = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;'";

    fn assert_only_escaped(html: &str, at_least: usize) {
        for raw in ["<script", "<img", "&amp;'", "\"><img"] {
            assert!(!html.contains(raw), "{raw:?} appears unescaped");
        }
        assert!(html.matches(ESCAPED).count() >= at_least, "expected {at_least} escaped copies in:\n{html}");
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
        let html = dashboard_html::render(&view, &clock()).into_string();
        // Per row: trade number (twice), channel, remark, notifyUrl; the
        // search box; per attempt: URL and body; the answer and the error.
        assert_only_escaped(&html, 2 * 5 + 1 + 2 * 2 + 2);
        assert!(html.contains(&format!("/sandbox/orders/{}/pay", url_encode(HOSTILE))), "paths are encoded");

        let refused = page::refusal(
            StatusCode::CONFLICT,
            HOSTILE,
            &Filter::from_query(&format!("q={}", url_encode(HOSTILE))).url(1),
        );
        let headers = refused.headers();
        assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().is_ok_and(|csp| csp.contains("default-src 'none'")));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

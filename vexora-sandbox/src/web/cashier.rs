//! The hosted cashier page a checkout's `paymentUrl` points to: the payer
//! (or a browser test) pays in full, pays part, or fails the order.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::book::records::{Order, PaymentOutcome};
use crate::book::refusals::{OVERFLOW, SettleError};
use crate::book::status::OrderStatus;
use crate::notify::outcome::finish_order;
use crate::web::Web;

/// The page's own style, inline: the cashier is one page with nothing else
/// to load.
const STYLE: &str = "
body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2433; margin: 0; }
main { max-width: 28rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem;
       box-shadow: 0 2px 12px rgba(0, 0, 0, .08); }
h1 { font-size: 1.25rem; margin-top: 0; }
.badge { display: inline-block; background: #fff3cd; color: #7a5b00; border-radius: 4px; padding: 0 .4rem;
         font-size: .75rem; vertical-align: middle; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .4rem 1rem; }
dt { color: #5b6474; }
dd { margin: 0; font-weight: 600; word-break: break-all; }
.choices { display: grid; gap: .6rem; margin-top: 1.5rem; }
button { width: 100%; padding: .75rem; border: 0; border-radius: 8px; font: inherit; cursor: pointer;
         background: #2256d6; color: #fff; }
button.fail { background: #c23a3a; }
.note { color: #5b6474; font-size: .8rem; }
";

/// `GET /cashier/{platFormTradeNo}`.
pub(crate) async fn page(State(web): State<Arc<Web>>, Path(id): Path<String>) -> Response {
    let order = web.book.state().order_by_platform(&id).cloned();
    match order {
        Some(order) if order.status == OrderStatus::Paying => {
            page_of(StatusCode::OK, "Vexora sandbox cashier", choices(&order))
        }
        Some(order) => page_of(StatusCode::OK, "Order finished", finished(&order)),
        None => not_found(&id),
    }
}

/// `POST /cashier/{platFormTradeNo}/{pay|partial|fail}`: applies the choice,
/// starts the notification and sends the browser to `returnUrl` (303).
pub(crate) async fn choose(State(web): State<Arc<Web>>, Path((id, action)): Path<(String, String)>) -> Response {
    let Some(outcome) = PaymentOutcome::parse(&action) else {
        return page_of(
            StatusCode::NOT_FOUND,
            "Not found",
            html! { p { "Unknown choice: use pay, partial or fail." } },
        );
    };
    match finish_order(&web.book, &web.notifier, &id, outcome) {
        Ok(order) => redirect(&order.return_url),
        Err(SettleError::NotFound) => not_found(&id),
        Err(SettleError::Finished(status)) => page_of(
            StatusCode::CONFLICT,
            "Order already finished",
            html! {
                p {
                    "This order is already finished with status " code { (status.code()) }
                    " (" (status.message()) "); it cannot be paid again."
                }
            },
        ),
        Err(SettleError::NotPossible(why)) => page_of(StatusCode::CONFLICT, "Not possible", html! { p { (why) "." } }),
        Err(SettleError::Overflow) => page_of(StatusCode::CONFLICT, "Not possible", html! { p { (OVERFLOW) "." } }),
    }
}

fn choices(order: &Order) -> Markup {
    let id = &order.plat_form_trade_no;
    html! {
        (summary(order))
        div.choices {
            form method="post" action={ "/cashier/" (id) "/pay" } {
                button #pay-full type="submit" { "Pay in full (" (order.amount) ")" }
            }
            // Nothing cannot be paid in part: no button for it.
            @if let Some(partial) = order.amount.partial() {
                form method="post" action={ "/cashier/" (id) "/partial" } {
                    button #pay-partial type="submit" { "Pay part (" (partial) ")" }
                }
            }
            form method="post" action={ "/cashier/" (id) "/fail" } {
                button #pay-fail.fail type="submit" { "Fail the payment" }
            }
        }
        p.note { "Sandbox only: no money moves. The choice is notified to the merchant's notifyUrl." }
    }
}

fn finished(order: &Order) -> Markup {
    html! {
        (summary(order))
        p #finished {
            "This order is finished: " code { (order.status.code()) } " (" (order.status.message()) "), "
            (order.paid_amount) " paid."
        }
    }
}

fn summary(order: &Order) -> Markup {
    html! {
        dl {
            dt { "Amount" } dd #amount { (order.amount) }
            dt { "Merchant" } dd #merchant-no { (order.merchant_no) }
            dt { "Order (tradeNo)" } dd #trade-no { (order.trade_no) }
            dt { "Vexora order" } dd #plat-form-trade-no { (order.plat_form_trade_no) }
        }
    }
}

fn not_found(id: &str) -> Response {
    page_of(StatusCode::NOT_FOUND, "Order not found", html! { p { "No order " code { (id) } " in this sandbox." } })
}

fn redirect(return_url: &str) -> Response {
    match HeaderValue::from_str(return_url) {
        Ok(location) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            response
        }
        // Not sendable as a header (e.g. raw non-ASCII): offer a link instead.
        Err(_) => page_of(
            StatusCode::OK,
            "Payment recorded",
            html! { p { a #return href=(return_url) { "Back to the shop: " (return_url) } } },
        ),
    }
}

fn page_of(status: StatusCode, title: &str, body: Markup) -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                // Our own constant, not text from outside.
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    h1 { (title) " " span.badge { "SANDBOX" } }
                    (body)
                }
            }
        }
    };
    let mut response = (status, page.into_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

//! The hosted cashier page a checkout's `paymentUrl` points to: the payer
//! (or a browser test) pays in full, pays part, or fails the order.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::book::records::{Order, OrderStatus, PaymentOutcome};

use crate::book::state::SettleError;
use crate::notify::outcome::finish_order;
use crate::web::html::escape;
use crate::web::Web;

/// `GET /cashier/{platFormTradeNo}`.
pub(crate) async fn page(State(web): State<Arc<Web>>, Path(id): Path<String>) -> Response {
    let order = web.book.state().order_by_platform(&id).cloned();
    match order {
        Some(order) if order.status == OrderStatus::Paying => {
            html(StatusCode::OK, "Vexora sandbox cashier", &choices(&order))
        }
        Some(order) => html(StatusCode::OK, "Order finished", &finished(&order)),
        None => not_found(&id),
    }
}

/// `POST /cashier/{platFormTradeNo}/{pay|partial|fail}`: applies the choice,
/// starts the notification and sends the browser to `returnUrl` (303).
pub(crate) async fn choose(State(web): State<Arc<Web>>, Path((id, action)): Path<(String, String)>) -> Response {
    let Some(outcome) = PaymentOutcome::parse(&action) else {
        return html(StatusCode::NOT_FOUND, "Not found", "<p>Unknown choice: use pay, partial or fail.</p>");
    };
    match finish_order(&web.book, &web.notifier, &id, outcome) {
        Ok(order) => redirect(&order.return_url),
        Err(SettleError::NotFound) => not_found(&id),
        Err(SettleError::Finished(status)) => html(
            StatusCode::CONFLICT,
            "Order already finished",
            &format!(
                "<p>This order is already finished with status <code>{}</code> ({}); it cannot be paid again.</p>",
                status.code(),
                status.message()
            ),
        ),
        Err(SettleError::NotPossible(why)) => {
            html(StatusCode::CONFLICT, "Not possible", &format!("<p>{}.</p>", escape(why)))
        }
        Err(SettleError::Overflow) => {
            html(StatusCode::CONFLICT, "Not possible", &format!("<p>{}.</p>", escape(crate::web::control::OVERFLOW)))
        }
    }
}

fn choices(order: &Order) -> String {
    let id = escape(&order.plat_form_trade_no);
    // Nothing cannot be paid in part: no button for it.
    let partial = order.amount.partial().map(|partial| {
        format!(
            r#"<form method="post" action="/cashier/{id}/partial"><button id="pay-partial" type="submit">Pay part ({partial})</button></form>
"#
        )
    });
    let mut body = summary(order);
    let _ = write!(
        body,
        r#"<div class="choices">
<form method="post" action="/cashier/{id}/pay"><button id="pay-full" type="submit">Pay in full ({amount})</button></form>
{partial}<form method="post" action="/cashier/{id}/fail"><button id="pay-fail" type="submit" class="fail">Fail the payment</button></form>
</div>
<p class="note">Sandbox only: no money moves. The choice is notified to the merchant's notifyUrl.</p>"#,
        amount = order.amount,
        partial = partial.unwrap_or_default(),
    );
    body
}

fn finished(order: &Order) -> String {
    let mut body = summary(order);
    let _ = write!(
        body,
        r#"<p id="finished">This order is finished: <code>{}</code> ({}), {} paid.</p>"#,
        order.status.code(),
        order.status.message(),
        order.paid_amount
    );
    body
}

fn summary(order: &Order) -> String {
    format!(
        r#"<dl>
<dt>Amount</dt><dd id="amount">{amount}</dd>
<dt>Merchant</dt><dd id="merchant-no">{merchant}</dd>
<dt>Order (tradeNo)</dt><dd id="trade-no">{trade_no}</dd>
<dt>Vexora order</dt><dd id="plat-form-trade-no">{id}</dd>
</dl>
"#,
        amount = order.amount,
        merchant = escape(&order.merchant_no),
        trade_no = escape(&order.trade_no),
        id = escape(&order.plat_form_trade_no),
    )
}

fn not_found(id: &str) -> Response {
    html(
        StatusCode::NOT_FOUND,
        "Order not found",
        &format!("<p>No order <code>{}</code> in this sandbox.</p>", escape(id)),
    )
}

fn redirect(return_url: &str) -> Response {
    match HeaderValue::from_str(return_url) {
        Ok(location) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::LOCATION, location);
            response
        }
        // Not sendable as a header (e.g. raw non-ASCII): offer a link instead.
        Err(_) => html(
            StatusCode::OK,
            "Payment recorded",
            &format!(r#"<p><a id="return" href="{0}">Back to the shop: {0}</a></p>"#, escape(return_url)),
        ),
    }
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2433; margin: 0; }}
main {{ max-width: 28rem; margin: 3rem auto; background: #fff; border-radius: 12px; padding: 2rem;
        box-shadow: 0 2px 12px rgba(0, 0, 0, .08); }}
h1 {{ font-size: 1.25rem; margin-top: 0; }}
.badge {{ display: inline-block; background: #fff3cd; color: #7a5b00; border-radius: 4px; padding: 0 .4rem;
          font-size: .75rem; vertical-align: middle; }}
dl {{ display: grid; grid-template-columns: auto 1fr; gap: .4rem 1rem; }}
dt {{ color: #5b6474; }}
dd {{ margin: 0; font-weight: 600; word-break: break-all; }}
.choices {{ display: grid; gap: .6rem; margin-top: 1.5rem; }}
button {{ width: 100%; padding: .75rem; border: 0; border-radius: 8px; font: inherit; cursor: pointer;
          background: #2256d6; color: #fff; }}
button.fail {{ background: #c23a3a; }}
.note {{ color: #5b6474; font-size: .8rem; }}
</style>
</head>
<body>
<main>
<h1>{title} <span class="badge">SANDBOX</span></h1>
{body}
</main>
</body>
</html>
"#
    );
    let mut response = (status, page).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

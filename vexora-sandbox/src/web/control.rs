//! The sandbox's own routes under `/sandbox/`: what tests and tools use to
//! script outcomes, inject faults and look inside. Plain JSON, not the
//! gateway's envelope; errors are `{"error": "..."}` with an HTTP status.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::book::records::PaymentOutcome;

use crate::book::Book;
use crate::book::refusals::{FinishError, OVERFLOW, SettleError};
use crate::notify::outcome::{finish_order, finish_payout, finish_record};
use crate::web::Web;
use crate::web::caller::{ActionRequest, Refused};
use crate::web::faults::Fault;
use crate::web::form;
use crate::web::json::{error, json_response, to_json};

/// `GET /sandbox/deliveries`: every notification attempt, oldest first.
pub(crate) async fn deliveries(State(web): State<Arc<Web>>) -> Response {
    let deliveries = to_json(&web.notifier.log().deliveries());
    json_response(StatusCode::OK, &deliveries)
}

/// `GET /sandbox/orders`: every order, oldest first.
pub(crate) async fn orders(State(web): State<Arc<Web>>) -> Response {
    let orders = to_json(&web.book.state().orders());
    json_response(StatusCode::OK, &orders)
}

/// `GET /sandbox/records`: every record of the kinds served from their
/// spec alone, oldest first.
pub(crate) async fn records(State(web): State<Arc<Web>>) -> Response {
    let records = to_json(&web.book.state().records());
    json_response(StatusCode::OK, &records)
}

/// `GET /sandbox/stats`.
pub(crate) async fn stats(State(web): State<Arc<Web>>) -> Response {
    json_response(StatusCode::OK, &to_json(&web.counters.read()))
}

/// `POST /sandbox/orders/{tradeNo}/{pay|partial|fail|resend}`: the
/// cashier's buttons without a browser, or the order's last notification
/// sent again, now. The merchant comes from the `merchantNo` header (a
/// form's `merchant_no`), or may be left out when only one merchant has
/// this `tradeNo`. Answers the order, or the resend's attempt, as JSON; a
/// dashboard form is sent back to the dashboard.
pub(crate) async fn order_action(
    State(web): State<Arc<Web>>,
    Path((trade_no, action)): Path<(String, String)>,
    request: ActionRequest,
) -> Response {
    let result = async {
        let plat_form_trade_no = find_order(&web.book, &trade_no, request.merchant_no.as_deref())?;
        if action == "resend" {
            return resend(&web, &plat_form_trade_no, "order", &trade_no).await;
        }
        let outcome = PaymentOutcome::parse(&action).ok_or_else(|| {
            (StatusCode::NOT_FOUND, format!("unknown action {action:?}: use pay, partial, fail or resend"))
        })?;
        finish_order(&web.book, &web.notifier, &plat_form_trade_no, outcome)
            .map(|order| to_json(&order))
            .map_err(|problem| order_refusal(&trade_no, problem))
    };
    request.caller.answer(result.await)
}

/// `POST /sandbox/payouts/{tradeNo}/{pay|fail|resend}`: decides a
/// processing payout of the merchant the `merchantNo` header (a form's
/// `merchant_no`) names: paid out, or failed with its amount back in the
/// balance; either way the signed notification starts, and a payout left
/// alone stays processing. `resend` sends its last notification again, now.
pub(crate) async fn payout_action(
    State(web): State<Arc<Web>>,
    Path((trade_no, action)): Path<(String, String)>,
    request: ActionRequest,
) -> Response {
    let result = async {
        let paid = match action.as_str() {
            "pay" => Some(true),
            "fail" => Some(false),
            "resend" => None,
            _ => return Err((StatusCode::NOT_FOUND, format!("unknown action {action:?}: use pay, fail or resend"))),
        };
        let Some(merchant_no) = request.merchant_no.as_deref() else {
            return Err((
                StatusCode::BAD_REQUEST,
                "send the merchantNo header: payout numbers are per merchant".to_owned(),
            ));
        };
        let Some(paid) = paid else {
            let plat_form_trade_no = web
                .book
                .state()
                .payout(merchant_no, &trade_no)
                .map(|payout| payout.plat_form_trade_no.clone())
                .ok_or_else(|| (StatusCode::NOT_FOUND, format!("no payout {trade_no} for merchant {merchant_no}")))?;
            return resend(&web, &plat_form_trade_no, "payout", &trade_no).await;
        };
        finish_payout(&web.book, &web.notifier, merchant_no, &trade_no, paid)
            .map(|payout| to_json(&payout))
            .map_err(|problem| payout_refusal(merchant_no, &trade_no, problem))
    };
    request.caller.answer(result.await)
}

/// `POST /sandbox/records/{platformId}/{success|failed|resend}`: finishes
/// a processing record of a kind served from its spec (its platform id is
/// the sandbox's, unique across merchants): succeeded or failed, its money
/// moved as its spec says, and its signed notification started when it has
/// a `notifyUrl`. `resend` sends its last notification again, now. Answers
/// the record, or the resend's attempt, as JSON.
pub(crate) async fn record_action(
    State(web): State<Arc<Web>>,
    Path((platform_id, action)): Path<(String, String)>,
    request: ActionRequest,
) -> Response {
    let result = async {
        let succeeded = match action.as_str() {
            "success" => true,
            "failed" => false,
            "resend" => {
                let kind = web.book.state().record(&platform_id).map(|record| record.kind.clone());
                let Some(kind) = kind else {
                    return Err((StatusCode::NOT_FOUND, format!("no record {platform_id}")));
                };
                return resend(&web, &platform_id, &kind, &platform_id).await;
            }
            _ => {
                return Err((
                    StatusCode::NOT_FOUND,
                    format!("unknown action {action:?}: use success, failed or resend"),
                ));
            }
        };
        finish_record(&web.book, &web.notifier, &platform_id, succeeded)
            .map(|record| to_json(&record))
            .map_err(|problem| record_refusal(&platform_id, problem))
    };
    request.caller.answer(result.await)
}

/// Why a record's outcome could not be applied, as the control route
/// answers it.
pub(crate) fn record_refusal(platform_id: &str, problem: FinishError) -> Refused {
    match problem {
        FinishError::NotFound => (StatusCode::NOT_FOUND, format!("no record {platform_id}")),
        FinishError::Finished(status) => (
            StatusCode::CONFLICT,
            format!("record {platform_id} is already finished with status {} ({})", status.code(), status.message()),
        ),
        FinishError::Overflow => (StatusCode::CONFLICT, format!("record {platform_id}: {OVERFLOW}")),
    }
}

/// Why an order's outcome could not be applied, as the control route
/// answers it.
pub(crate) fn order_refusal(trade_no: &str, problem: SettleError) -> Refused {
    match problem {
        SettleError::NotFound => (StatusCode::NOT_FOUND, format!("no order {trade_no}")),
        SettleError::Finished(status) => (
            StatusCode::CONFLICT,
            format!("order {trade_no} is already finished with status {} ({})", status.code(), status.message()),
        ),
        SettleError::NotPossible(why) => (StatusCode::CONFLICT, format!("order {trade_no}: {why}")),
        SettleError::Overflow => (StatusCode::CONFLICT, format!("order {trade_no}: {OVERFLOW}")),
    }
}

/// Why a payout's outcome could not be applied, as the control route
/// answers it.
pub(crate) fn payout_refusal(merchant_no: &str, trade_no: &str, problem: FinishError) -> Refused {
    match problem {
        FinishError::NotFound => (StatusCode::NOT_FOUND, format!("no payout {trade_no} for merchant {merchant_no}")),
        FinishError::Finished(status) => (
            StatusCode::CONFLICT,
            format!("payout {trade_no} is already finished with status {} ({})", status.code(), status.message()),
        ),
        FinishError::Overflow => (StatusCode::CONFLICT, format!("payout {trade_no}: {OVERFLOW}")),
    }
}

/// Sends the last notification of `plat_form_trade_no` again and answers
/// the attempt; `409` when none was sent yet (`kind`, `trade_no` name it).
async fn resend(web: &Web, plat_form_trade_no: &str, kind: &str, trade_no: &str) -> Result<Value, Refused> {
    match web.notifier.resend(plat_form_trade_no).await {
        Some(attempt) => Ok(to_json(&attempt)),
        None => Err((
            StatusCode::CONFLICT,
            format!("{kind} {trade_no} has no notification to resend yet: one is sent when the {kind} is finished"),
        )),
    }
}

/// The `platFormTradeNo` of the order meant, or why there is none.
pub(crate) fn find_order(book: &Book, trade_no: &str, merchant_no: Option<&str>) -> Result<String, Refused> {
    let state = book.state();
    match merchant_no {
        Some(merchant_no) => state
            .order(merchant_no, trade_no)
            .map(|order| order.plat_form_trade_no.clone())
            .ok_or_else(|| (StatusCode::NOT_FOUND, format!("no order {trade_no} for merchant {merchant_no}"))),
        None => match state.orders_with_trade_no(trade_no).as_slice() {
            [order] => Ok(order.plat_form_trade_no.clone()),
            [] => Err((StatusCode::NOT_FOUND, format!("no order {trade_no}"))),
            _ => Err((
                StatusCode::CONFLICT,
                format!("several merchants have an order {trade_no}: send the merchantNo header"),
            )),
        },
    }
}

/// The longest single advance of the clock: ten years, far beyond any
/// ladder or settlement, short of overflowing anything.
const MAX_ADVANCE_SECONDS: u64 = 10 * 366 * 24 * 3600;

/// `GET /sandbox/clock`: the sandbox clock now.
pub(crate) async fn clock(State(web): State<Arc<Web>>) -> Response {
    json_response(StatusCode::OK, &clock_json(&web.book))
}

/// `POST /sandbox/clock/advance` with `{"seconds": N}` (or a form's
/// `seconds` field): moves the sandbox clock `N` seconds forward, as if that time
/// had passed: retries that come due fire at once, and money paid on an
/// earlier local day settles (T+1). Answers the clock as `GET` does.
pub(crate) async fn advance_clock(State(web): State<Arc<Web>>, request: ActionRequest) -> Response {
    let seconds = match form::value(&request.form, "seconds") {
        Some(text) => text.trim().parse().ok(),
        None => serde_json::from_slice::<Value>(&request.body)
            .ok()
            .and_then(|body| body.get("seconds").and_then(Value::as_u64)),
    };
    let result = match seconds {
        Some(seconds) if seconds <= MAX_ADVANCE_SECONDS => {
            // Bounded above, so the product fits.
            web.book.clock.advance_ms(i64::try_from(seconds * 1000).unwrap_or(i64::MAX));
            Ok(clock_json(&web.book))
        }
        Some(_) => Err((StatusCode::BAD_REQUEST, format!("seconds: at most {MAX_ADVANCE_SECONDS} at a time"))),
        None => Err((StatusCode::BAD_REQUEST, "send {\"seconds\": N}, N a whole number of seconds >= 0".to_owned())),
    };
    request.caller.answer(result)
}

fn clock_json(book: &Book) -> Value {
    let now = book.clock.now_ms();
    json!({ "nowMs": now, "now": book.clock.format_local(now), "offsetMs": book.clock.offset_ms() })
}

/// `GET /sandbox/faults`: the faults waiting for requests.
pub(crate) async fn list_faults(State(web): State<Arc<Web>>) -> Response {
    let active = web.faults().active();
    json_response(StatusCode::OK, &json!({ "active": to_json(&active) }))
}

/// `POST /sandbox/faults`: queues a [`Fault`] (JSON body).
pub(crate) async fn add_fault(State(web): State<Arc<Web>>, body: Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(fault) => fault,
        Err(problem) => return error(StatusCode::BAD_REQUEST, format!("not a fault: {problem}")),
    };
    if let Err(problem) = fault.validate() {
        return error(StatusCode::BAD_REQUEST, problem);
    }
    let mut faults = web.faults();
    faults.push(fault);
    let active = faults.active();
    drop(faults);
    json_response(StatusCode::OK, &json!({ "active": to_json(&active) }))
}

/// `DELETE /sandbox/faults`: clears every fault.
pub(crate) async fn clear_faults(State(web): State<Arc<Web>>) -> Response {
    web.faults().clear();
    json_response(StatusCode::OK, &json!({ "active": [] }))
}

//! The sandbox's own routes under `/sandbox/`: what tests and tools use to
//! script outcomes, inject faults and look inside. Plain JSON, not the
//! gateway's envelope; errors are `{"error": "..."}` with an HTTP status.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::app::App;
use crate::envelope::json_response;
use crate::faults::Fault;
use crate::state::{Outcome, PayoutSettleError, SettleError};

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, &json!({ "error": message.into() }))
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    // Our own plain data types always serialize.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `GET /sandbox/deliveries`: every notification attempt, oldest first.
pub(crate) async fn deliveries(State(app): State<Arc<App>>) -> Response {
    let deliveries = to_json(&app.state().deliveries());
    json_response(StatusCode::OK, &deliveries)
}

/// `GET /sandbox/orders`: every order, oldest first.
pub(crate) async fn orders(State(app): State<Arc<App>>) -> Response {
    let orders = to_json(&app.state().orders());
    json_response(StatusCode::OK, &orders)
}

/// `GET /sandbox/stats`.
pub(crate) async fn stats(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &to_json(&app.stats()))
}

/// `POST /sandbox/orders/{tradeNo}/{pay|partial|fail}`: the cashier's
/// buttons without a browser. The merchant comes from the `merchantNo`
/// header, or may be left out when only one merchant has this `tradeNo`.
pub(crate) async fn finish_order(
    State(app): State<Arc<App>>,
    Path((trade_no, action)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(outcome) = Outcome::parse(&action) else {
        return error(StatusCode::NOT_FOUND, format!("unknown action {action:?}: use pay, partial or fail"));
    };
    let plat_form_trade_no = match find_order(&app, &trade_no, &headers) {
        Ok(id) => id,
        Err((status, message)) => return error(status, message),
    };
    match app.finish_order(&plat_form_trade_no, outcome) {
        Ok(order) => json_response(StatusCode::OK, &to_json(&order)),
        Err(SettleError::NotFound) => error(StatusCode::NOT_FOUND, format!("no order {trade_no}")),
        Err(SettleError::Finished(status)) => error(
            StatusCode::CONFLICT,
            format!("order {trade_no} is already finished with status {} ({})", status.code(), status.message()),
        ),
    }
}

/// `POST /sandbox/payouts/{tradeNo}/{pay|fail}`: decides a processing
/// payout of the merchant the `merchantNo` header names: paid out, or
/// failed with its amount back in the balance. Either way the signed
/// notification starts; a payout left alone stays processing.
pub(crate) async fn finish_payout(
    State(app): State<Arc<App>>,
    Path((trade_no, action)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let paid = match action.as_str() {
        "pay" => true,
        "fail" => false,
        _ => return error(StatusCode::NOT_FOUND, format!("unknown action {action:?}: use pay or fail")),
    };
    let Some(merchant_no) = headers.get("merchantNo").and_then(|value| value.to_str().ok()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "send the merchantNo header: payout numbers are per merchant".to_owned(),
        );
    };
    match app.finish_payout(merchant_no, &trade_no, paid) {
        Ok(payout) => json_response(StatusCode::OK, &to_json(&payout)),
        Err(PayoutSettleError::NotFound) => {
            error(StatusCode::NOT_FOUND, format!("no payout {trade_no} for merchant {merchant_no}"))
        }
        Err(PayoutSettleError::Finished(status)) => error(
            StatusCode::CONFLICT,
            format!("payout {trade_no} is already finished with status {} ({})", status.code(), status.message()),
        ),
    }
}

/// The `platFormTradeNo` of the order meant, or why there is none.
fn find_order(app: &App, trade_no: &str, headers: &HeaderMap) -> Result<String, (StatusCode, String)> {
    let state = app.state();
    match headers.get("merchantNo") {
        Some(merchant_no) => {
            let merchant_no = merchant_no
                .to_str()
                .map_err(|_| (StatusCode::BAD_REQUEST, "the merchantNo header is not text".to_owned()))?;
            state
                .order(merchant_no, trade_no)
                .map(|order| order.plat_form_trade_no.clone())
                .ok_or_else(|| (StatusCode::NOT_FOUND, format!("no order {trade_no} for merchant {merchant_no}")))
        }
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

/// `GET /sandbox/faults`: the faults waiting for requests.
pub(crate) async fn list_faults(State(app): State<Arc<App>>) -> Response {
    let active = app.faults().active();
    json_response(StatusCode::OK, &json!({ "active": to_json(&active) }))
}

/// `POST /sandbox/faults`: queues a [`Fault`] (JSON body).
pub(crate) async fn add_fault(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(fault) => fault,
        Err(problem) => return error(StatusCode::BAD_REQUEST, format!("not a fault: {problem}")),
    };
    if let Err(problem) = fault.validate() {
        return error(StatusCode::BAD_REQUEST, problem);
    }
    let mut faults = app.faults();
    faults.push(fault);
    let active = faults.active();
    drop(faults);
    json_response(StatusCode::OK, &json!({ "active": to_json(&active) }))
}

/// `DELETE /sandbox/faults`: clears every fault.
pub(crate) async fn clear_faults(State(app): State<Arc<App>>) -> Response {
    app.faults().clear();
    json_response(StatusCode::OK, &json!({ "active": [] }))
}

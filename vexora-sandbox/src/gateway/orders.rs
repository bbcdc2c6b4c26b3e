//! The pay-in kinds: `checkout` (and `deposit`, answered as one) creates
//! a cashier order, `query-pay-in-result` reads one by the merchant's
//! `tradeNo`, and `submit` takes the payer's transaction id for one.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::book::Book;
use crate::book::records::NewOrder;
use crate::book::spec_records::SpecRecord;
use crate::book::status::ProcessStatus;
use crate::gateway::call::{Call, PlatformId};
use crate::gateway::envelope::{Refusal, SandboxCode, data};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckoutData<'a> {
    trade_no: &'a str,
    #[serde(flatten)]
    plat_form_trade_no: PlatformId<'a>,
    status: &'a str,
    desc: &'a str,
    remark: &'a str,
    payment_url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayInResult<'a> {
    trade_no: &'a str,
    #[serde(flatten)]
    plat_form_trade_no: PlatformId<'a>,
    status: &'a str,
    amount: String,
    message: &'a str,
}

/// `checkout`: creates a cashier order.
pub(crate) fn checkout(book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let amount = call.amount()?;
    let new = NewOrder {
        merchant_no: call.merchant_no.to_owned(),
        region: call.region.to_owned(),
        trade_no: call.text("tradeNo").to_owned(),
        amount,
        remark: call.fields.text("remark").map(str::to_owned),
        channel: call.channel(),
        ip_address: call.text("ipAddress").to_owned(),
        notify_url: call.text("notifyUrl").to_owned(),
        return_url: call.text("returnUrl").to_owned(),
    };
    let hidden_for_ms = call.hidden_for_ms("order", &new.trade_no);
    let now = book.clock.now_ms();
    let mut state = book.state();
    let order =
        state.create_order(new, now, book.clock.day_of(now), |id| format!("{}/cashier/{id}", call.public_url))?;
    order.visible_from_ms = now.saturating_add(hidden_for_ms);
    data(&CheckoutData {
        trade_no: &order.trade_no,
        plat_form_trade_no: call.platform_id(&order.plat_form_trade_no),
        status: order.status.code(),
        desc: order.status.message(),
        remark: order.remark.as_deref().unwrap_or_default(),
        payment_url: &order.payment_url,
    })
}

/// `query-pay-in-result`: how an order stands, by the merchant's `tradeNo`.
pub(crate) fn query_pay_in_result(book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let trade_no = call.text("tradeNo");
    let state = book.state();
    let now = book.clock.now_ms();
    let order =
        state.order(call.merchant_no, trade_no).filter(|order| order.visible_from_ms <= now).ok_or_else(|| {
            Refusal::new(
                SandboxCode::OrderNotFound,
                format!("tradeNo: no order {trade_no} for merchant {}", call.merchant_no),
            )
        })?;
    data(&PayInResult {
        trade_no: &order.trade_no,
        plat_form_trade_no: call.platform_id(&order.plat_form_trade_no),
        status: order.status.code(),
        amount: order.paid_amount.text(2),
        message: order.status.message(),
    })
}

/// A record of a new kind the pay-in query found, answered as the query
/// answers an order: the amount paid (all of it once it succeeded) and the
/// status with its message.
pub(crate) fn record_as_pay_in_result(call: &Call<'_>, record: &SpecRecord) -> Result<Box<RawValue>, Refusal> {
    let paid = record.amount.filter(|_| record.status == ProcessStatus::Succeeded).unwrap_or_default();
    data(&PayInResult {
        trade_no: record.key("tradeNo").unwrap_or_else(|| call.text("tradeNo")),
        plat_form_trade_no: call.platform_id(&record.platform_id),
        status: record.status.code(),
        amount: paid.text(2),
        message: record.status.message(),
    })
}

/// `submit`: the payer's transaction id for an order of this merchant; the
/// order's result still comes from the cashier or the control route.
pub(crate) fn submit(book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let plat_form_trade_no = call.text("platFormTradeNo");
    let state = book.state();
    match state.order_by_platform(plat_form_trade_no) {
        Some(order) if order.merchant_no == call.merchant_no => data(&true),
        _ => Err(Refusal::new(
            SandboxCode::OrderNotFound,
            format!("platFormTradeNo: no order {plat_form_trade_no} for merchant {}", call.merchant_no),
        )),
    }
}

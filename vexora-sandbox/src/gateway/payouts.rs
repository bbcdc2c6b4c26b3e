//! The payout kinds: `payout` takes an amount out of the merchant's
//! available balance, `payout-query` reads a payout by the merchant's
//! `tradeNo`, and `balance` reads the balances of the endpoint's region.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::book::records::NewPayout;
use crate::book::spec_records::SpecRecord;
use crate::book::status::ProcessStatus;

use crate::book::Book;
use crate::book::refusals::overflow_refusal;
use crate::gateway::call::{Call, PlatformId};
use crate::gateway::envelope::{Refusal, SandboxCode, data};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayoutData<'a> {
    trade_no: &'a str,
    #[serde(flatten)]
    plat_form_trade_no: PlatformId<'a>,
    status: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayoutResult<'a> {
    trade_no: &'a str,
    #[serde(flatten)]
    plat_form_trade_no: PlatformId<'a>,
    amount: String,
    status: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    success_time: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Balance {
    available_amount: String,
    freeze_amount: String,
    unsettled_amount: String,
}

/// `payout`: takes the amount out of the available balance, processing.
pub(crate) fn payout(book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let amount = call.amount()?;
    let new = NewPayout {
        merchant_no: call.merchant_no.to_owned(),
        region: call.region.to_owned(),
        trade_no: call.text("tradeNo").to_owned(),
        amount,
        remark: call.fields.text("remark").map(str::to_owned),
        channel: call.channel(),
        notify_url: call.text("notifyUrl").to_owned(),
    };
    let hidden_for_ms = call.hidden_for_ms("payout", &new.trade_no);
    let now = book.clock.now_ms();
    let mut state = book.state();
    let payout = state.create_payout(new, now, book.clock.day_of(now))?;
    payout.visible_from_ms = now.saturating_add(hidden_for_ms);
    data(&PayoutData {
        trade_no: &payout.trade_no,
        plat_form_trade_no: call.platform_id(&payout.plat_form_trade_no),
        status: payout.status.code(),
    })
}

/// `payout-query`: how a payout stands, by the merchant's `tradeNo`.
pub(crate) fn query_payout_result(book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let trade_no = call.text("tradeNo");
    let state = book.state();
    let now = book.clock.now_ms();
    let payout =
        state.payout(call.merchant_no, trade_no).filter(|payout| payout.visible_from_ms <= now).ok_or_else(|| {
            Refusal::new(
                SandboxCode::OrderNotFound,
                format!("tradeNo: no payout {trade_no} for merchant {}", call.merchant_no),
            )
        })?;
    data(&PayoutResult {
        trade_no: &payout.trade_no,
        plat_form_trade_no: call.platform_id(&payout.plat_form_trade_no),
        amount: payout.amount.text(2),
        status: payout.status.code(),
        message: payout.status.message(),
        success_time: payout
            .finished_at_ms
            .filter(|_| payout.status == ProcessStatus::Succeeded)
            .map(|at| book.clock.format_local(at)),
    })
}

/// A record of a new kind the payout query found, answered as the query
/// answers a payout.
pub(crate) fn record_as_payout_result(
    book: &Book,
    call: &Call<'_>,
    record: &SpecRecord,
) -> Result<Box<RawValue>, Refusal> {
    data(&PayoutResult {
        trade_no: record.key("tradeNo").unwrap_or_else(|| call.text("tradeNo")),
        plat_form_trade_no: call.platform_id(&record.platform_id),
        amount: record.amount.unwrap_or_default().text(2),
        status: record.status.code(),
        message: record.status.message(),
        success_time: record.succeeded_at_ms().map(|at| book.clock.format_local(at)),
    })
}

/// `balance`: the merchant's balances in the endpoint's region, 4 decimals
/// like the documents' examples.
pub(crate) fn balance(book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let balance = book
        .state()
        .balance(call.merchant_no, call.region, book.clock.today())
        .ok_or_else(|| overflow_refusal("the balance"))?;
    data(&Balance {
        available_amount: balance.available.text(4),
        freeze_amount: balance.frozen.text(4),
        unsettled_amount: balance.unsettled.text(4),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_id_keeps_its_place_among_the_members() {
        let answer = |name| {
            let payout = PayoutData {
                trade_no: "T1",
                plat_form_trade_no: PlatformId { name, id: "c167o1itir0fypid" },
                status: "0015",
            };
            data(&payout).map(|raw| raw.get().to_owned()).map_err(|refusal| refusal.message)
        };
        assert_eq!(
            answer("serialNumber").as_deref(),
            Ok(r#"{"tradeNo":"T1","serialNumber":"c167o1itir0fypid","status":"0015"}"#)
        );
        assert_eq!(
            answer("platFormTradeNo").as_deref(),
            Ok(r#"{"tradeNo":"T1","platFormTradeNo":"c167o1itir0fypid","status":"0015"}"#)
        );
    }
}

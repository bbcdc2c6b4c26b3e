use vexora::{Signable, Validate};

#[derive(Signable, Validate, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    #[vexora(required)]
    trade_no: String,
    #[vexora(optional)]
    #[serde(rename = "tradeNo")]
    merchant_trade_no: Option<String>,
}

fn main() {}

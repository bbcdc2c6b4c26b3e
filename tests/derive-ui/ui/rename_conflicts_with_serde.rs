use vexora::{Signable, Validate};

#[derive(Signable, Validate, serde::Deserialize)]
struct Request {
    #[vexora(required, rename = "tradeNo")]
    #[serde(rename = "merchantTradeNo")]
    trade_no: String,
}

fn main() {}

use vexora::{Signable, Validate};

#[derive(serde::Deserialize)]
struct Data {}

#[derive(Signable, Validate)]
#[vexora(endpoint = "/v1/vexora/queryPayInResult", response = Data, call = "idempotent")]
struct Request {
    #[vexora(required)]
    trade_no: String,
}

fn main() {}

use vexora::{Signable, Validate};

#[derive(serde::Deserialize)]
struct Data {}

#[derive(Signable, Validate)]
#[vexora(endpoint = "v1/vexora/checkout", response = Data, call = "create")]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {}

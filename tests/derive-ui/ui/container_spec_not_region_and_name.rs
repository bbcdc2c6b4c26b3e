use vexora::{Signable, Validate};

#[derive(serde::Deserialize)]
struct Data {}

#[derive(Signable, Validate)]
#[vexora(spec = "spec/taiwan/checkout.toml", response = Data)]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {}

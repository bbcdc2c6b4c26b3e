use vexora::{Signable, Validate};

#[derive(serde::Deserialize)]
struct Data {}

#[derive(Signable, Validate)]
#[vexora(spec = "spec/taiwan/checkout.toml", response = Data)]
#[non_exhaustive]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {}

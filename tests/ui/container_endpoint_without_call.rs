use vexora::{Signable, Validate};

#[derive(serde::Deserialize)]
struct Data {}

// Whether a call may be retried is never left to a default.
#[derive(Signable, Validate)]
#[vexora(endpoint = "/v1/vexora/checkout", response = Data)]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {}

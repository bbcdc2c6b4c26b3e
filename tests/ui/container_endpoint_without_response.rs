use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
#[vexora(endpoint = "/v1/vexora/checkout")]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {}

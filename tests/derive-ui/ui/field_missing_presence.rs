use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required)]
    amount: String,
    trade_no: String,
}

fn main() {}

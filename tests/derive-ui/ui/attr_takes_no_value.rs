use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required = true)]
    trade_no: String,
}

fn main() {}

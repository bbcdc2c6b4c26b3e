use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, optional)]
    trade_no: String,
}

fn main() {}

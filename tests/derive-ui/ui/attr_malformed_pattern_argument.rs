use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, pattern = 3)]
    trade_no: String,
}

fn main() {}

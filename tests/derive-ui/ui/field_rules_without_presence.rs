use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(max_length = 32, digits)]
    trade_no: String,
}

fn main() {}

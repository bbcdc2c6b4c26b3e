use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, min_length = 10, max_length = 4)]
    trade_no: String,
}

fn main() {}

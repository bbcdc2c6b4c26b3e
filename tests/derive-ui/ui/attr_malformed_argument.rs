use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, max_length = "32")]
    trade_no: String,
}

fn main() {}

use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, maxlength = 32)]
    trade_no: String,
}

fn main() {}

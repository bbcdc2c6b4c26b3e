use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required)]
    amount: String,
    #[vexora(skip, max_length = 32)]
    note: String,
}

fn main() {}

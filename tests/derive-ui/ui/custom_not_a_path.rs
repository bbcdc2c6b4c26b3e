use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, custom = "bank_number")]
    bank_number: String,
}

fn main() {}

use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
enum Request {
    Checkout { amount: String },
}

fn main() {}

use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required)]
    amount: String,
    #[vexora(optional)]
    sign: Option<String>,
}

fn main() {}

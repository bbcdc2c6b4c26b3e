use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
#[vexora(spec = "taiwan/checkout")]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {}

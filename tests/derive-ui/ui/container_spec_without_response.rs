use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
#[vexora(spec = "taiwan/checkout")]
#[non_exhaustive]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {}

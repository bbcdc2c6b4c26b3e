use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, pattern = "09\\d{8}")]
    mobile: String,
}

fn main() {}

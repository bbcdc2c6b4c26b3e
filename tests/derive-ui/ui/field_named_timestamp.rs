use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, rename = "timestamp")]
    created_at: String,
}

fn main() {}

use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, one_of())]
    channel_code: String,
}

fn main() {}

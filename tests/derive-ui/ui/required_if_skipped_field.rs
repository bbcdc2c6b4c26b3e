use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(skip)]
    channel_code: String,
    #[vexora(required_if(channel_code = "STORE"))]
    postcode: Option<String>,
}

fn main() {}

use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required)]
    channel_code: String,
    #[vexora(required_if(chanel_code = "STORE"))]
    postcode: Option<String>,
}

fn main() {}

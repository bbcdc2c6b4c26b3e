use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required_if(postcode = "STORE"))]
    postcode: Option<String>,
}

fn main() {}

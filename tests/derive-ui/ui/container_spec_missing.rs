use vexora::{Endpoint, Signable, Validate};

#[derive(serde::Deserialize)]
struct Data {}

// A struct with no spec file is not an endpoint: the build fails at the name.
#[derive(Signable, Validate)]
#[vexora(spec = "nowhere/checkout", response = Data)]
#[non_exhaustive]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {
    let _ = <Request as Endpoint>::PATH;
}

use vexora::{Signable, Validate};

#[derive(serde::Deserialize)]
struct Data {}

// A request struct (one with `spec = ...`) must be `#[non_exhaustive]`: the
// error is at its name. (No spec file is reachable from these cases, which
// is an error of its own.)
#[derive(Signable, Validate)]
#[vexora(spec = "nowhere/checkout", response = Data)]
struct Request {
    #[vexora(required)]
    amount: String,
}

fn main() {}

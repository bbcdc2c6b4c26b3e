use vexora::{Signable, Validate};

// A misspelt presence marker is one error, not also "needs a presence marker".
#[derive(Signable, Validate)]
struct Request {
    #[vexora(requried, max_length = 32)]
    trade_no: String,
}

fn main() {}

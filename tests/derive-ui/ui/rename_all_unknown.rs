use vexora::{Signable, Validate};

#[derive(Signable, Validate, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelcase")]
struct Request {
    #[vexora(required)]
    trade_no: String,
}

fn main() {}

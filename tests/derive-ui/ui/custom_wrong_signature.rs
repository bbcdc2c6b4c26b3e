use vexora::{Signable, Validate};

fn bank_number(text: &String) -> bool {
    text.len() == 14
}

#[derive(Signable, Validate)]
struct Request {
    #[vexora(required, custom = bank_number)]
    bank_number: String,
}

fn main() {}

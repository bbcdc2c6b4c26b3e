use vexora::{Signable, Validate};

#[derive(Signable, Validate)]
struct Request(String);

fn main() {}

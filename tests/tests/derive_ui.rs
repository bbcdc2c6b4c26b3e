//! Misuse of `#[derive(Signable, Validate)]` is a compile error at the
//! offending tokens, one per mistake, all reported at once.

#[test]
fn derive_misuse_is_a_spanned_compile_error() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}

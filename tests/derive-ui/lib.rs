//! Misuse of `#[derive(Signable, Validate)]` is a compile error at the
//! offending tokens, one per mistake, all reported at once: one case a
//! file in `ui/`, its expected errors beside it in the `.stderr` file.

#[test]
fn derive_misuse_is_a_spanned_compile_error() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}

//! Text compared at compile time, where `==` on `str` is not `const`.

/// Whether two strings are equal, in a `const` context (the registry checks
/// at compile time that each struct claims its own spec file).
#[doc(hidden)]
pub const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

//! One-byte edits of a valid input, for the tests that check a fast reader
//! against a reference one on inputs that are almost right.

/// Applies edit `kind` (taken modulo 4) at `at`, which must be less than
/// `bytes.len()`: 0 replaces the byte with `byte`, 1 inserts `byte`
/// before it, 2 removes it, 3 cuts the input there.
pub(crate) fn edit_one_byte(bytes: &mut Vec<u8>, at: usize, byte: u8, kind: u8) {
    match kind % 4 {
        0 => bytes[at] = byte,
        1 => bytes.insert(at, byte),
        2 => {
            bytes.remove(at);
        }
        _ => bytes.truncate(at),
    }
}

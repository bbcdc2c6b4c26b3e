//! The rule's bytes: [`CanonicalHasher`] streams `key=value` pairs into
//! MD5, and [`Signature`] is what comes out.

use std::fmt;

use md5::{Digest, Md5};

use crate::wire::FieldVisitor;

/// Bytes of canonical text [`CanonicalHasher`] gathers before hashing them:
/// a whole typical request (the seed checkout's is about 300).
const STAGE: usize = 512;

/// Streams canonical `key=value` pairs into MD5.
///
/// Pairs must arrive in code-point order of their keys; empty values are
/// skipped here so that every caller gets that rule for free.
///
/// ```
/// use vexora::signing::CanonicalHasher;
///
/// let mut hasher = CanonicalHasher::new();
/// hasher.pair("amount", "300");
/// hasher.pair("remark", ""); // empty: left out
/// hasher.pair("tradeNo", "T1");
/// let sign = hasher.finish(b"secret");
/// // md5("amount=300tradeNo=T1secret")
/// assert_eq!(sign.as_str(), "9afc544e3c2887771321ea09afb998c5");
/// ```
// The text is gathered on the stack and hashed in few `update`s: a request
// is dozens of pieces of a few bytes, and each `update` has a fixed cost
// far above that of copying a few bytes.
#[derive(Clone)]
pub struct CanonicalHasher {
    md5: Md5,
    /// Text not yet hashed; only `stage[..staged]` is meaningful.
    stage: [u8; STAGE],
    staged: usize,
}

impl Default for CanonicalHasher {
    fn default() -> Self {
        Self { md5: Md5::new(), stage: [0; STAGE], staged: 0 }
    }
}

impl CanonicalHasher {
    /// A hasher with nothing fed yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds `key=value`, unless `value` is empty.
    #[inline(always)]
    pub fn pair(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let (key, value) = (key.as_bytes(), value.as_bytes());
        let start = self.staged;
        let equals = start + key.len();
        let end = equals + 1 + value.len();
        if key.len() < SHORT && value.len() < SHORT && end <= STAGE {
            // The common case, with the position in a local: updating
            // `self.staged` after every piece chains each write to the
            // previous one through memory.
            copy_short(&mut self.stage[start..equals], key);
            self.stage[equals] = b'=';
            copy_short(&mut self.stage[equals + 1..end], value);
            self.staged = end;
        } else {
            self.pair_long(key, value);
        }
    }

    /// [`CanonicalHasher::pair`] for a piece of 64 bytes or more, or one
    /// that does not fit the stage. Out of line and cold: `pair` is inlined
    /// once per field of every request, and this path inlined there would
    /// triple its code for a case typical requests never reach.
    #[cold]
    #[inline(never)]
    fn pair_long(&mut self, key: &[u8], value: &[u8]) {
        self.write(key);
        self.write_byte(b'=');
        self.write(value);
    }

    /// Appends the app secret and returns the signature, leaving the
    /// hasher empty for the next one.
    // By reference, so a caller never copies the hasher and its stage.
    pub fn finish(&mut self, secret: &[u8]) -> Signature {
        self.write(secret);
        self.md5.update(&self.stage[..self.staged]);
        self.staged = 0;
        Signature::from_digest(self.md5.finalize_reset().into())
    }

    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        let end = self.staged + bytes.len();
        if bytes.len() < SHORT && end <= STAGE {
            copy_short(&mut self.stage[self.staged..end], bytes);
            self.staged = end;
        } else {
            self.write_long(bytes);
        }
    }

    #[inline(always)]
    fn write_byte(&mut self, byte: u8) {
        if self.staged == STAGE {
            self.hash_staged();
        }
        self.stage[self.staged] = byte;
        self.staged += 1;
    }

    /// A long piece, or one that does not fit: hash what is staged, then
    /// the piece itself (a long one without copying it).
    fn write_long(&mut self, bytes: &[u8]) {
        self.hash_staged();
        if bytes.len() < SHORT {
            copy_short(&mut self.stage[..bytes.len()], bytes);
            self.staged = bytes.len();
        } else {
            self.md5.update(bytes);
        }
    }

    fn hash_staged(&mut self) {
        self.md5.update(&self.stage[..self.staged]);
        self.staged = 0;
    }
}

impl FieldVisitor for CanonicalHasher {
    #[inline(always)]
    fn visit(&mut self, key: &str, value: &str) {
        self.pair(key, value);
    }
}

impl fmt::Debug for CanonicalHasher {
    // The hasher's state is derived from personal data; show nothing of it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CanonicalHasher { .. }")
    }
}

/// A request or notification signature: 32 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature {
    hex: [u8; 32],
}

impl Signature {
    fn from_digest(digest: [u8; 16]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 32];
        for (i, byte) in digest.iter().enumerate() {
            hex[2 * i] = HEX[usize::from(byte >> 4)];
            hex[2 * i + 1] = HEX[usize::from(byte & 0x0f)];
        }
        Self { hex }
    }

    /// The signature as it travels in the `sign` field.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever stored, so this cannot fail.
        std::str::from_utf8(&self.hex).unwrap_or_default()
    }

    /// Compares with a received `sign` value in constant time, accepting
    /// either letter case. The time taken depends only on the candidate's
    /// length, never on where the first difference is.
    pub fn matches(&self, candidate: &str) -> bool {
        let candidate = candidate.as_bytes();
        if candidate.len() != self.hex.len() {
            return false;
        }
        let mut difference = 0u8;
        for (expected, received) in self.hex.iter().zip(candidate) {
            // ASCII lowercase without a branch: sets bit 5 on letters only.
            let folded = received | (u8::from(received.is_ascii_alphabetic()) << 5);
            difference |= expected ^ folded;
        }
        difference == 0
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Signature {
    // A signature is a verifier of personal data and of the secret: it is
    // never printed in logs, only shown on purpose through `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(<redacted>)")
    }
}

/// [`copy_short`] copies fewer bytes than this.
const SHORT: usize = 64;

/// Copies `src`, shorter than [`SHORT`], into `dst` of the same length with
/// at most two fixed-size, possibly overlapping moves, which the compiler
/// inlines; a `copy_from_slice` of unknown length is a call to `memcpy`,
/// costly next to the few bytes of a key or a value.
// `always`: left to itself the compiler stops inlining this once it has a
// few callers, and the call costs more than the copy.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let len = src.len();
    debug_assert!(dst.len() == len && len < SHORT);
    if len >= 32 {
        dst[..32].copy_from_slice(&src[..32]);
        dst[len - 32..].copy_from_slice(&src[len - 32..]);
    } else if len >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[len - 16..].copy_from_slice(&src[len - 16..]);
    } else if len >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[len - 8..].copy_from_slice(&src[len - 8..]);
    } else if len >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[len - 4..].copy_from_slice(&src[len - 4..]);
    } else if len > 0 {
        dst[0] = src[0];
        dst[len / 2] = src[len / 2];
        dst[len - 1] = src[len - 1];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::sign_pairs;

    #[test]
    fn staged_hashing_equals_md5_of_the_concatenation_at_every_boundary() {
        // Keys short and long (64 bytes and more skip the stage), every value
        // length from 0 to 200, one to nine pairs, so the 512-byte stage fills
        // up at every offset, and secrets from empty to longer than a block.
        let text: String = (0..200u8).map(|i| char::from(b'a' + i % 26)).collect();
        let secrets = [&b""[..], b"k", b"test-app-secret-123", &text.as_bytes()[..130]];
        for key_len in [1, 7, 31, 63, 64, 65] {
            let key = &text[..key_len];
            for value_len in 0..=text.len() {
                let value = &text[..value_len];
                for pairs in [1, 2, 9] {
                    let secret = secrets[(value_len + pairs) % secrets.len()];
                    let mut hasher = CanonicalHasher::new();
                    let mut expected = Vec::new();
                    for _ in 0..pairs {
                        hasher.pair(key, value);
                        hasher.pair("z", value);
                        if !value.is_empty() {
                            expected.extend_from_slice(format!("{key}={value}z={value}").as_bytes());
                        }
                    }
                    expected.extend_from_slice(secret);
                    let digest: [u8; 16] = Md5::digest(&expected).into();
                    assert_eq!(hasher.finish(secret), Signature::from_digest(digest), "{key_len} {value_len} {pairs}");
                }
            }
        }
    }

    #[test]
    fn finish_leaves_the_hasher_empty_for_the_next_signature() {
        let mut hasher = CanonicalHasher::new();
        hasher.pair("a", "1");
        assert_eq!(hasher.finish(b"k"), sign_pairs([("a", "1")], b"k"));
        hasher.pair("b", "2");
        assert_eq!(hasher.finish(b"k"), sign_pairs([("b", "2")], b"k"));
        assert_eq!(hasher.finish(b"k"), sign_pairs([], b"k"));
    }

    #[test]
    fn matches_is_case_insensitive_and_exact() {
        let sign = sign_pairs([("a", "1")], b"k");
        let upper = sign.as_str().to_ascii_uppercase();
        assert!(sign.matches(sign.as_str()));
        assert!(sign.matches(&upper));
        assert!(!sign.matches(&sign.as_str()[..31]));
        let mut altered = sign.as_str().to_owned();
        let last = if altered.ends_with('0') { "1" } else { "0" };
        altered.replace_range(31.., last);
        assert!(!sign.matches(&altered));
        // Bit 5 folding must not turn a digit into a different digit's match.
        assert!(!sign.matches(&"\u{10}".repeat(32)));
    }

    #[test]
    fn debug_never_shows_the_signature() {
        let sign = sign_pairs([("a", "1")], b"k");
        assert!(!format!("{sign:?}").contains(sign.as_str()));
    }
}

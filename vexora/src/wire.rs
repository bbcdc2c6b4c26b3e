//! How request fields become wire text: the traits `#[derive(Signable)]`
//! implements and calls. The signature (`signing.rs`) and the body
//! (`body.rs`) both walk the one field list
//! ([`Signable::visit_wire_fields`]), so the two can never cover different
//! fields or values: a value left out of one is left out of both.

use std::borrow::Cow;

use crate::validation::spec::Rule;

/// A field value that has a wire text, or is absent.
///
/// Absent means `None` or empty: such a value is neither signed nor sent.
/// The derive dispatches through this trait instead of inspecting type names,
/// so `Option<T>`, aliases and newtypes all work.
pub trait WireValue {
    /// Runs `f` on the value's wire text and returns its result, or returns
    /// `None` without calling `f` when the value is absent or empty.
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R>;

    /// Rules every value of the type must follow on the wire, checked by
    /// `#[derive(Validate)]` on top of a field's own rules: a type that
    /// stands for one concept (an order number, an amount) carries its
    /// rules once, instead of every field repeating them.
    const TYPE_RULES: &'static [Rule] = &[];

    /// What a required field of the type reports when the value is absent:
    /// for most types, that it is empty; for an amount, where zero is the
    /// absent value, that it must be more than zero.
    const WHEN_ABSENT: &'static str = "is required and must not be empty";
}

// The forwarding impls below are `#[inline(always)]`: they are a line each,
// and inlined into the derive's code they let its constant field specs fold.
impl WireValue for str {
    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (!self.is_empty()).then(|| f(self))
    }
}

impl WireValue for String {
    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_str().with_wire_text(f)
    }
}

impl WireValue for Cow<'_, str> {
    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_ref().with_wire_text(f)
    }
}

impl<T: WireValue + ?Sized> WireValue for &T {
    const TYPE_RULES: &'static [Rule] = T::TYPE_RULES;
    const WHEN_ABSENT: &'static str = T::WHEN_ABSENT;

    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (**self).with_wire_text(f)
    }
}

impl<T: WireValue + ?Sized> WireValue for Box<T> {
    const TYPE_RULES: &'static [Rule] = T::TYPE_RULES;
    const WHEN_ABSENT: &'static str = T::WHEN_ABSENT;

    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        (**self).with_wire_text(f)
    }
}

impl<T: WireValue> WireValue for Option<T> {
    const TYPE_RULES: &'static [Rule] = T::TYPE_RULES;
    const WHEN_ABSENT: &'static str = T::WHEN_ABSENT;

    #[inline(always)]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_ref()?.with_wire_text(f)
    }
}

macro_rules! wire_value_via_display_of_integer {
    ($($ty:ty),*) => {$(
        impl WireValue for $ty {
            #[inline]
            fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
                let mut buffer = IntegerText::new();
                Some(f(buffer.format(u64::from(*self))))
            }
        }
    )*};
}
wire_value_via_display_of_integer!(u8, u16, u32, u64);

impl WireValue for bool {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        Some(f(if *self { "true" } else { "false" }))
    }
}

/// Decimal text of an unsigned integer on the stack: signing must not
/// allocate, and `to_string()` would.
///
/// Written by `itoa` (already in every build through serde_json), which
/// hands back the digits as `&str` without checking them again: a UTF-8
/// check of our own was a function call per amount and timestamp.
#[derive(Clone, Copy, Default)]
pub struct IntegerText {
    buffer: itoa::Buffer,
}

impl IntegerText {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `value` and returns its text, borrowed from the buffer.
    pub fn format(&mut self, value: u64) -> &str {
        self.buffer.format(value)
    }
}

impl std::fmt::Debug for IntegerText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IntegerText { .. }")
    }
}

/// Receives a request's fields as `(wire name, wire text)`, in canonical order.
pub trait FieldVisitor {
    /// One present field. Implementations skip empty values themselves if
    /// they are not already skipped by [`WireValue`].
    fn visit(&mut self, key: &str, value: &str);
}

/// A request whose fields can be signed and sent.
///
/// Implemented by `#[derive(Signable)]`; see the crate documentation for the
/// attributes. Implement it by hand only for a request the derive cannot
/// describe, and keep the canonical order.
pub trait Signable {
    /// Visits every present field in code-point order of the wire names,
    /// with `timestamp` (which the client supplies) at its sorted place.
    /// `sign` is never visited.
    fn visit_wire_fields<V: FieldVisitor + ?Sized>(&self, timestamp: &str, visitor: &mut V);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_render_as_decimal_text() {
        let powers = (0..20).map(|exponent| 10u64.pow(exponent));
        let around_powers = powers.flat_map(|power| [power - 1, power, power + 1]);
        for value in around_powers.chain(0..10_000).chain([1_724_142_041_682, u64::MAX - 1, u64::MAX]) {
            assert_eq!(IntegerText::new().format(value), value.to_string());
        }
    }

    #[test]
    fn absent_values_have_no_text() {
        assert_eq!(String::new().with_wire_text(|_| ()), None);
        assert_eq!(None::<String>.with_wire_text(|_| ()), None);
        assert_eq!(Some(String::new()).with_wire_text(|_| ()), None);
        assert_eq!(Some("x".to_owned()).with_wire_text(str::to_owned), Some("x".to_owned()));
    }
}

//! Every attribute name the derive reads, in one place (like serde's
//! `symbol.rs`), so a name is spelled once and compared without allocating.

use std::fmt;

use syn::{Ident, Path};

/// An attribute or attribute-item name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Symbol(&'static str);

/// `#[vexora(...)]`.
pub(crate) const VEXORA: Symbol = Symbol("vexora");
/// `#[serde(...)]`, read for `rename` and `rename_all` only.
pub(crate) const SERDE: Symbol = Symbol("serde");

/// Container: `spec = "region/name"`, the endpoint's spec file.
pub(crate) const SPEC: Symbol = Symbol("spec");
/// Container: `response = DataType`.
pub(crate) const RESPONSE: Symbol = Symbol("response");
/// Container (serde): `rename_all = "camelCase"`.
pub(crate) const RENAME_ALL: Symbol = Symbol("rename_all");
/// Container (Rust): `#[non_exhaustive]`, which every request struct has.
pub(crate) const NON_EXHAUSTIVE: Symbol = Symbol("non_exhaustive");

/// Field: neither signed, sent nor validated.
pub(crate) const SKIP: Symbol = Symbol("skip");
/// Field presence: always required.
pub(crate) const REQUIRED: Symbol = Symbol("required");
/// Field presence: may be absent.
pub(crate) const OPTIONAL: Symbol = Symbol("optional");
/// Field presence: `required_if(other = "VALUE")`.
pub(crate) const REQUIRED_IF: Symbol = Symbol("required_if");
/// Field rule: `min_length = N`.
pub(crate) const MIN_LENGTH: Symbol = Symbol("min_length");
/// Field rule: `max_length = N`.
pub(crate) const MAX_LENGTH: Symbol = Symbol("max_length");
/// Field rule: `min_amount = "100"`.
pub(crate) const MIN_AMOUNT: Symbol = Symbol("min_amount");
/// Field rule: ASCII digits only.
pub(crate) const DIGITS: Symbol = Symbol("digits");
/// Field rule: `pattern = "^...$"`.
pub(crate) const PATTERN: Symbol = Symbol("pattern");
/// Field rule: an email address.
pub(crate) const EMAIL: Symbol = Symbol("email");
/// Field rule: an IP address.
pub(crate) const IP: Symbol = Symbol("ip");
/// Field rule: an http(s) URL.
pub(crate) const URL: Symbol = Symbol("url");
/// Field rule: `one_of("A", "B")`.
pub(crate) const ONE_OF: Symbol = Symbol("one_of");
/// Field rule: `custom = path::to::function`.
pub(crate) const CUSTOM: Symbol = Symbol("custom");
/// Field (vexora and serde): `rename = "wireName"`.
pub(crate) const RENAME: Symbol = Symbol("rename");

/// Every item `#[vexora(...)]` accepts on a field, for "unknown item" errors.
pub(crate) const FIELD_ITEMS: &[Symbol] = &[
    SKIP,
    REQUIRED,
    OPTIONAL,
    REQUIRED_IF,
    MIN_LENGTH,
    MAX_LENGTH,
    MIN_AMOUNT,
    DIGITS,
    PATTERN,
    EMAIL,
    IP,
    URL,
    ONE_OF,
    CUSTOM,
    RENAME,
];

/// Every item `#[vexora(...)]` accepts on the struct.
pub(crate) const CONTAINER_ITEMS: &[Symbol] = &[SPEC, RESPONSE];

/// `a, b, c` with each name in backticks, for messages.
pub(crate) fn list(symbols: &[Symbol]) -> String {
    let names: Vec<String> = symbols.iter().map(|symbol| format!("`{symbol}`")).collect();
    names.join(", ")
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, symbol: &Symbol) -> bool {
        self == symbol.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, symbol: &Symbol) -> bool {
        self.is_ident(symbol.0)
    }
}

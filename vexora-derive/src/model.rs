//! The checked model of a request struct: what `check.rs` makes of the
//! attributes and the spec file, and what `emit.rs` and `builder.rs` write
//! out.

use syn::{Generics, Ident, Path, Type};

use vexora_spec::pattern::ParsedItem;

/// A struct ready to be emitted.
pub(crate) struct Model<'a> {
    /// The struct's name.
    pub(crate) ident: &'a Ident,
    /// The struct's generics.
    pub(crate) generics: &'a Generics,
    /// `#[vexora(spec = "...", response = Type)]`, when given.
    pub(crate) endpoint: Option<Endpoint>,
    /// Every field that is signed and validated (not skipped), in declaration order.
    pub(crate) fields: Vec<Field<'a>>,
    /// The fields and `timestamp` in code-point order of their wire names.
    pub(crate) signing_order: Vec<SignStep>,
}

/// What makes the struct an endpoint, from its spec file.
pub(crate) struct Endpoint {
    /// `region/name`.
    pub(crate) id: String,
    /// The region slug.
    pub(crate) region: String,
    /// The path below the base URL.
    pub(crate) path: String,
    /// The type of the response's `data`.
    pub(crate) response: Type,
    /// Whether the call only reads (`true`) or creates money movement.
    pub(crate) reads_only: bool,
    /// The spec file's absolute path, which the expansion depends on
    /// (`None` in the stub the fallback emits when the file is unusable).
    pub(crate) file: Option<String>,
    /// The wire names of the fields that identify its record (the spec's
    /// `keys`).
    pub(crate) keys: Vec<String>,
    /// For a create: the read that reconciles it.
    pub(crate) reconcile: Option<Reconcile>,
    /// For a create no read can find afterwards: why.
    pub(crate) unfindable: Option<String>,
    /// For a read whose fields are exactly its keys: each key's field and
    /// wire name, to build it from keys.
    pub(crate) by_keys: Option<Vec<(Ident, String)>>,
}

/// How a create is reconciled.
pub(crate) struct Reconcile {
    /// The read's request struct, `crate::<region>::<Request>`.
    pub(crate) query: syn::Path,
}

/// One step of the canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignStep {
    /// `Model::fields[i]`.
    Field(usize),
    /// The `timestamp` the client supplies.
    Timestamp,
}

/// A signed and validated field.
pub(crate) struct Field<'a> {
    /// The Rust field name, as the member to read.
    pub(crate) member: &'a Ident,
    /// The field's type, for bounds and error spans.
    pub(crate) ty: &'a Type,
    /// The name on the wire.
    pub(crate) wire_name: String,
    /// The Rust name without `r#`.
    pub(crate) rust_name: String,
    /// When the field must be present.
    pub(crate) presence: Presence,
    /// Rules, in attribute order.
    pub(crate) rules: Vec<Rule>,
    /// For an endpoint's field: the rules its spec asks for beyond the
    /// field's own, which the field's type must have exactly (checked by a
    /// `const` assertion, since only the compiler knows the type's rules).
    pub(crate) type_rules: Option<TypeRules>,
}

/// The rules a field's type must have, with the message if it does not.
pub(crate) struct TypeRules {
    /// The rules, as the spec names them.
    pub(crate) keys: Vec<Key>,
    /// What to say when the type's rules differ.
    pub(crate) message: String,
}

/// When a field must be present.
pub(crate) enum Presence {
    /// Always.
    Required,
    /// Never.
    Optional,
    /// When another field has a value.
    RequiredIf {
        /// The other field, as the member to read.
        member: Ident,
        /// The other field's wire name.
        wire_name: String,
        /// The values any of which makes this field required.
        values: Vec<String>,
    },
}

/// A rule, with its arguments checked.
pub(crate) enum Rule {
    /// At least this many characters.
    MinLength(usize),
    /// At most this many characters.
    MaxLength(usize),
    /// ASCII digits only.
    Digits,
    /// A decimal amount of at least this (`"100"`).
    MinAmount(String),
    /// A compiled pattern.
    Pattern {
        /// The pattern as written.
        source: String,
        /// Its items.
        items: Vec<ParsedItem>,
    },
    /// A named format.
    Format(Format),
    /// One of these values.
    OneOf(Vec<String>),
    /// A function of the user's crate.
    Custom {
        /// The path as written, without spaces.
        name: String,
        /// The path, with its spans, so a wrong signature is reported there.
        path: Path,
    },
}

/// A named format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// An email address.
    Email,
    /// An IP address.
    Ip,
    /// An http(s) URL.
    HttpUrl,
}

/// A rule as a spec file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    MinLength(usize),
    MaxLength(usize),
    Digits,
    MinAmount(String),
    Pattern(String),
    Format(Format),
    OneOf(Vec<String>),
    Custom(String),
}

impl Key {
    /// The spec's name for the rule.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Key::MinLength(_) => "min_length",
            Key::MaxLength(_) => "max_length",
            Key::Digits => "digits",
            Key::MinAmount(_) => "min_amount",
            Key::Pattern(_) => "pattern",
            Key::Format(_) => "format",
            Key::OneOf(_) => "one_of",
            Key::Custom(_) => "custom",
        }
    }

    /// The rule's value, as a message shows it.
    pub(crate) fn value(&self) -> String {
        match self {
            Key::MinLength(n) | Key::MaxLength(n) => n.to_string(),
            Key::Digits => "true".to_owned(),
            Key::MinAmount(min) => format!("{min:?}"),
            Key::Pattern(source) => format!("{source:?}"),
            Key::Format(format) => format_name(*format).to_owned(),
            Key::OneOf(values) => format!("{values:?}"),
            Key::Custom(name) => name.clone(),
        }
    }

    pub(crate) fn describe(&self) -> String {
        format!("{} = {}", self.kind(), self.value())
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Email => "email",
        Format::Ip => "ip",
        Format::HttpUrl => "http_url",
    }
}

impl quote::ToTokens for Key {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        let key = quote::quote!(::vexora::__private::RuleKey);
        tokens.extend(match self {
            Key::MinLength(n) => quote::quote!(#key::MinLength(#n)),
            Key::MaxLength(n) => quote::quote!(#key::MaxLength(#n)),
            Key::Digits => quote::quote!(#key::Digits),
            Key::MinAmount(min) => quote::quote!(#key::MinAmount(#min)),
            Key::Pattern(source) => quote::quote!(#key::Pattern(#source)),
            Key::Format(format) => quote::quote!(#key::Format(#format)),
            Key::OneOf(values) => quote::quote!(#key::OneOf(&[#(#values),*])),
            Key::Custom(name) => quote::quote!(#key::Custom(#name)),
        });
    }
}

//! Turns the derive input and its `#[vexora(...)]` attributes (plus the
//! `#[serde(rename / rename_all)]` the wire names depend on, and whether the
//! struct is `#[non_exhaustive]`) into a raw model.
//!
//! Only what one attribute item says is checked here: its name, its argument
//! and whether it was given twice. Rules that involve several items or fields
//! are in `check.rs`. Every mistake is recorded and parsing goes on, so all of
//! them are reported at once.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Data, DeriveInput, Error, Expr, ExprLit, Fields, Generics, Ident, Lit, LitInt, LitStr, Meta, Path,
    Token, Type, token,
};

use crate::case::RenameRule;
use crate::errors::Errors;
use crate::symbol::{self, Symbol};

/// The struct a derive was applied to, as its attributes describe it.
pub(crate) struct Input<'a> {
    /// The struct's name.
    pub(crate) ident: &'a Ident,
    /// The struct's generics, for the impl headers.
    pub(crate) generics: &'a Generics,
    /// Struct-level attributes.
    pub(crate) container: Container,
    /// Every field, in declaration order.
    pub(crate) fields: Vec<Field<'a>>,
}

/// Struct-level attributes.
#[derive(Default)]
pub(crate) struct Container {
    /// `#[vexora(spec = "region/name")]`, with the item name for spans.
    pub(crate) spec: Option<(Ident, LitStr)>,
    /// `#[vexora(response = Type)]`, with the item name for spans.
    pub(crate) response: Option<(Ident, Type)>,
    /// `#[serde(rename_all = "...")]`.
    pub(crate) rename_all: Option<RenameRule>,
    /// A `rename_all` was given but could not be read: wire names are unknown.
    pub(crate) names_suspect: bool,
    /// `#[non_exhaustive]`.
    pub(crate) non_exhaustive: bool,
    /// Mistakes in the struct's attributes.
    pub(crate) errors: Errors,
}

/// One field and its attributes.
pub(crate) struct Field<'a> {
    /// The Rust field name.
    pub(crate) ident: &'a Ident,
    /// The field's type.
    pub(crate) ty: &'a Type,
    /// The name of every `#[vexora(...)]` item given, in order.
    pub(crate) items: Vec<Ident>,
    /// Whether `#[vexora(...)]` appeared on the field at all.
    pub(crate) has_vexora_attr: bool,
    /// `skip`.
    pub(crate) skip: Option<Ident>,
    /// `required`, `optional` or `required_if(...)`.
    pub(crate) presence: Option<Presence>,
    /// Rules, in attribute order.
    pub(crate) rules: Vec<Rule>,
    /// `#[vexora(rename = "...")]`.
    pub(crate) rename: Option<LitStr>,
    /// `#[serde(rename = "...")]`.
    pub(crate) serde_rename: Option<LitStr>,
    /// An item that may have been the presence marker could not be read, so
    /// a missing presence marker is not a separate mistake.
    pub(crate) presence_suspect: bool,
    /// An item that may have been a rename could not be read, so the wire
    /// name is not known for sure.
    pub(crate) name_suspect: bool,
    /// Mistakes in this field's attributes.
    pub(crate) errors: Errors,
}

/// When a field must be present, with the tokens that said so.
pub(crate) enum Presence {
    /// `required`
    Required(Ident),
    /// `optional`
    Optional(Ident),
    /// `required_if(field = "VALUE")` or `required_if(field = ["A", "B"])`
    RequiredIf {
        /// `required_if`, for spans.
        keyword: Ident,
        /// The Rust name of the field the condition reads.
        field: Ident,
        /// The values any of which makes this field required.
        values: Vec<LitStr>,
    },
}

impl Presence {
    /// The item that gave the presence.
    pub(crate) fn keyword(&self) -> &Ident {
        match self {
            Presence::Required(keyword) | Presence::Optional(keyword) | Presence::RequiredIf { keyword, .. } => keyword,
        }
    }
}

/// A rule item and the name it was given by.
pub(crate) struct Rule {
    /// The item name, for spans and duplicate checks.
    pub(crate) name: Ident,
    /// What the rule says.
    pub(crate) kind: RuleKind,
}

/// A rule as written.
pub(crate) enum RuleKind {
    /// `min_length = N`
    MinLength(LitInt, usize),
    /// `max_length = N`
    MaxLength(LitInt, usize),
    /// `digits`
    Digits,
    /// `min_amount = "100"`
    MinAmount(LitStr),
    /// `pattern = "^...$"`, compiled in `check.rs`.
    Pattern(LitStr),
    /// `email`
    Email,
    /// `ip`
    Ip,
    /// `url`
    Url,
    /// `one_of("A", "B")`
    OneOf(Vec<LitStr>),
    /// `custom = path::to::function`
    Custom(Path),
}

/// Reads the struct. `Err` only when it is not a struct with named fields;
/// every attribute mistake is recorded in the container or field it belongs
/// to instead, and parsing goes on.
pub(crate) fn parse(input: &DeriveInput) -> syn::Result<Input<'_>> {
    const NAMED: &str = "vexora derives need a struct with named fields, like `struct Request { amount: String }`";
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named,
            Fields::Unnamed(unnamed) => return Err(Error::new_spanned(unnamed, NAMED)),
            Fields::Unit => return Err(Error::new_spanned(&input.ident, NAMED)),
        },
        Data::Enum(data) => return Err(Error::new_spanned(data.enum_token, NAMED)),
        Data::Union(data) => return Err(Error::new_spanned(data.union_token, NAMED)),
    };
    let container = container(&input.attrs);
    let fields = named
        .named
        .iter()
        .filter_map(|field| Some(parse_field(field.ident.as_ref()?, &field.ty, &field.attrs)))
        .collect();
    Ok(Input { ident: &input.ident, generics: &input.generics, container, fields })
}

fn container(attrs: &[Attribute]) -> Container {
    let mut container = Container::default();
    let mut errors = Errors::default();
    for attr in attrs {
        if attr.path() == &symbol::VEXORA {
            for item in vexora_items(attr, &mut errors).0 {
                container_item(&mut container, item, &mut errors);
            }
        } else if attr.path() == &symbol::SERDE {
            for item in serde_items(attr) {
                if item.name == symbol::RENAME_ALL {
                    serde_rename_all(&mut container, &item, &mut errors);
                }
            }
        } else if attr.path() == &symbol::NON_EXHAUSTIVE {
            container.non_exhaustive = true;
        }
    }
    container.errors = errors;
    container
}

fn container_item(container: &mut Container, item: Item, errors: &mut Errors) {
    let name = &item.name;
    if name == &symbol::SPEC {
        if container.spec.is_some() {
            errors.push(duplicate(name));
            return;
        }
        match lit_str(&item, "spec = \"taiwan/checkout\"") {
            Ok(id) => container.spec = Some((item.name.clone(), id)),
            Err(error) => errors.push(error),
        }
    } else if name == &symbol::RESPONSE {
        if container.response.is_some() {
            errors.push(duplicate(name));
            return;
        }
        let parsed = value(&item, "response = path::to::DataType").and_then(|tokens| {
            syn::parse2::<Type>(tokens.clone())
                .map_err(|_| Error::new_spanned(tokens, "expected a type: `response = path::to::DataType`"))
        });
        match parsed {
            Ok(ty) => container.response = Some((item.name.clone(), ty)),
            Err(error) => errors.push(error),
        }
    } else {
        errors.push(unknown(name, "struct", symbol::CONTAINER_ITEMS));
    }
}

fn serde_rename_all(container: &mut Container, item: &Item, errors: &mut Errors) {
    let Arg::Value { value, .. } = &item.arg else {
        container.names_suspect = true;
        errors.push(Error::new_spanned(
            &item.name,
            "vexora signs one wire name per field: write `#[serde(rename_all = \"...\")]`, \
             not separate serialize/deserialize rules",
        ));
        return;
    };
    // A rename_all serde cannot read is serde's error to report.
    let Ok(lit) = syn::parse2::<LitStr>(value.clone()) else {
        container.names_suspect = true;
        return;
    };
    match RenameRule::from_name(&lit.value()) {
        Some(rule) => container.rename_all = Some(rule),
        None => {
            container.names_suspect = true;
            let message = format!("unknown rename_all rule `{}`; expected one of {}", lit.value(), RenameRule::names());
            errors.push(Error::new_spanned(lit, message));
        }
    }
}

fn parse_field<'a>(ident: &'a Ident, ty: &'a Type, attrs: &[Attribute]) -> Field<'a> {
    let mut errors = Errors::default();
    let mut field = Field {
        ident,
        ty,
        items: Vec::new(),
        has_vexora_attr: false,
        skip: None,
        presence: None,
        rules: Vec::new(),
        rename: None,
        serde_rename: None,
        presence_suspect: false,
        name_suspect: false,
        errors: Errors::default(),
    };
    for attr in attrs {
        if attr.path() == &symbol::VEXORA {
            field.has_vexora_attr = true;
            let (items, complete) = vexora_items(attr, &mut errors);
            if !complete {
                // What could not be read might have been the presence marker or a rename.
                field.presence_suspect = true;
                field.name_suspect = true;
            }
            for item in items {
                field_item(&mut field, item, &mut errors);
            }
        } else if attr.path() == &symbol::SERDE {
            for item in serde_items(attr) {
                if item.name == symbol::RENAME {
                    serde_rename(&mut field, &item, &mut errors);
                }
            }
        }
    }
    field.errors = errors;
    field
}

fn serde_rename(field: &mut Field<'_>, item: &Item, errors: &mut Errors) {
    let Arg::Value { value, .. } = &item.arg else {
        field.name_suspect = true;
        errors.push(Error::new_spanned(
            &item.name,
            "vexora signs one wire name per field: write `#[serde(rename = \"...\")]`, \
             not separate serialize/deserialize names",
        ));
        return;
    };
    match syn::parse2::<LitStr>(value.clone()) {
        // A second serde rename is serde's error to report.
        Ok(lit) if field.serde_rename.is_none() => field.serde_rename = Some(lit),
        _ => field.name_suspect = true,
    }
}

fn field_item(field: &mut Field<'_>, item: Item, errors: &mut Errors) {
    let name = item.name.clone();
    field.items.push(name.clone());
    if name == symbol::SKIP {
        if field.skip.is_some() {
            errors.push(duplicate(&name));
            return;
        }
        if let Err(error) = no_value(&item) {
            errors.push(error);
        }
        field.skip = Some(name);
    } else if name == symbol::REQUIRED || name == symbol::OPTIONAL || name == symbol::REQUIRED_IF {
        if let Some(previous) = &field.presence {
            let message = format!(
                "a field takes one presence marker, and `{}` is already given; remove `{name}`",
                previous.keyword()
            );
            errors.push(Error::new_spanned(&name, message));
            return;
        }
        match presence(&item) {
            Ok(presence) => field.presence = Some(presence),
            Err(error) => {
                field.presence_suspect = true;
                errors.push(error);
            }
        }
    } else if name == symbol::RENAME {
        if field.rename.is_some() {
            errors.push(duplicate(&name));
            return;
        }
        match lit_str(&item, "rename = \"wireName\"") {
            Ok(lit) => field.rename = Some(lit),
            Err(error) => {
                field.name_suspect = true;
                errors.push(error);
            }
        }
    } else if let Some(parse_rule) = rule_parser(&name) {
        // A field may name several custom checks; every other rule is given once.
        if name != symbol::CUSTOM && field.rules.iter().any(|rule| rule.name == name) {
            errors.push(duplicate(&name));
            return;
        }
        match parse_rule(&item) {
            Ok(kind) => field.rules.push(Rule { name, kind }),
            Err(error) => errors.push(error),
        }
    } else {
        field.presence_suspect = true;
        field.name_suspect = true;
        errors.push(unknown(&name, "field", symbol::FIELD_ITEMS));
    }
}

fn presence(item: &Item) -> syn::Result<Presence> {
    let keyword = item.name.clone();
    if keyword == symbol::REQUIRED {
        no_value(item)?;
        return Ok(Presence::Required(keyword));
    }
    if keyword == symbol::OPTIONAL {
        no_value(item)?;
        return Ok(Presence::Optional(keyword));
    }
    const EXAMPLE: &str =
        "expected `required_if(other_field = \"VALUE\")` or `required_if(other_field = [\"A\", \"B\"])`";
    let (span, content) = list(item, EXAMPLE)?;
    let condition = |input: ParseStream<'_>| {
        let field: Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let values = if input.peek(syn::token::Bracket) {
            let list;
            syn::bracketed!(list in input);
            list.parse_terminated(|item: ParseStream<'_>| item.parse::<LitStr>(), Token![,])?.into_iter().collect()
        } else {
            vec![input.parse::<LitStr>()?]
        };
        input.parse::<Option<Token![,]>>()?;
        Ok((field, values))
    };
    let (field, values) = condition.parse2(content.clone()).map_err(|_| spanned_or(content, span, EXAMPLE))?;
    Ok(Presence::RequiredIf { keyword, field, values })
}

type RuleParser = fn(&Item) -> syn::Result<RuleKind>;

fn rule_parser(name: &Ident) -> Option<RuleParser> {
    let rules: [(Symbol, RuleParser); 10] = [
        (symbol::MIN_LENGTH, |item| length(item, "min_length = 1").map(|(lit, n)| RuleKind::MinLength(lit, n))),
        (symbol::MAX_LENGTH, |item| length(item, "max_length = 32").map(|(lit, n)| RuleKind::MaxLength(lit, n))),
        (symbol::MIN_AMOUNT, |item| lit_str(item, "min_amount = \"100\"").map(RuleKind::MinAmount)),
        (symbol::DIGITS, |item| no_value(item).map(|()| RuleKind::Digits)),
        (symbol::PATTERN, |item| lit_str(item, "pattern = \"^\\\\d{10}$\"").map(RuleKind::Pattern)),
        (symbol::EMAIL, |item| no_value(item).map(|()| RuleKind::Email)),
        (symbol::IP, |item| no_value(item).map(|()| RuleKind::Ip)),
        (symbol::URL, |item| no_value(item).map(|()| RuleKind::Url)),
        (symbol::ONE_OF, one_of),
        (symbol::CUSTOM, custom),
    ];
    rules.into_iter().find(|(symbol, _)| name == symbol).map(|(_, parse)| parse)
}

fn length(item: &Item, example: &str) -> syn::Result<(LitInt, usize)> {
    let tokens = value(item, example)?;
    let message = format!("expected a length in characters: `{example}`");
    let lit = syn::parse2::<LitInt>(tokens.clone()).map_err(|_| Error::new_spanned(tokens, &message))?;
    let n = lit.base10_parse::<usize>().map_err(|_| Error::new_spanned(&lit, &message))?;
    Ok((lit, n))
}

fn one_of(item: &Item) -> syn::Result<RuleKind> {
    const EXAMPLE: &str = "expected string literals: `one_of(\"A\", \"B\")`";
    let (span, content) = list(item, EXAMPLE)?;
    let values = Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(content.clone())
        .map_err(|_| spanned_or(content, span, EXAMPLE))?;
    if values.is_empty() {
        return Err(Error::new(span, "`one_of` needs at least one value: `one_of(\"A\", \"B\")`"));
    }
    let mut errors = Errors::default();
    let mut allowed: Vec<LitStr> = Vec::new();
    for value in values {
        match value {
            Expr::Lit(ExprLit { lit: Lit::Str(lit), .. }) => {
                if allowed.iter().any(|seen| seen.value() == lit.value()) {
                    let message = format!("duplicate value \"{}\" in `one_of`; list it once", lit.value());
                    errors.push(Error::new_spanned(lit, message));
                } else {
                    allowed.push(lit);
                }
            }
            other => errors.push(Error::new_spanned(other, EXAMPLE)),
        }
    }
    errors.finish().map(|()| RuleKind::OneOf(allowed))
}

fn custom(item: &Item) -> syn::Result<RuleKind> {
    const EXAMPLE: &str = "custom = path::to::function";
    let tokens = value(item, EXAMPLE)?;
    if syn::parse2::<LitStr>(tokens.clone()).is_ok() {
        let message = format!("expected a path, not a string: `{EXAMPLE}`");
        return Err(Error::new_spanned(tokens, message));
    }
    syn::parse2::<Path>(tokens.clone())
        .map(RuleKind::Custom)
        .map_err(|_| Error::new_spanned(tokens, format!("expected a path to a function: `{EXAMPLE}`")))
}

/// One `name`, `name = value` or `name(...)` inside `#[vexora(...)]` or
/// `#[serde(...)]`, before its argument is interpreted.
pub(crate) struct Item {
    /// The item name.
    pub(crate) name: Ident,
    /// What followed the name.
    pub(crate) arg: Arg,
}

/// What followed an item name.
pub(crate) enum Arg {
    /// Nothing.
    None,
    /// `= value`: the tokens up to the next top-level comma.
    Value {
        /// The `=`, for spans when the value is missing.
        eq: Token![=],
        /// The value tokens, possibly empty.
        value: TokenStream,
    },
    /// `(...)`.
    List {
        /// The parentheses.
        paren: token::Paren,
        /// What is inside them.
        content: TokenStream,
    },
}

/// The items of a `#[vexora(...)]`, recording malformed ones in `errors`;
/// `false` when something could not be read as an item.
fn vexora_items(attr: &Attribute, errors: &mut Errors) -> (Vec<Item>, bool) {
    match &attr.meta {
        Meta::List(list) => {
            let (items, mistakes) = split_items(list.tokens.clone());
            let complete = mistakes.is_empty();
            for mistake in mistakes {
                errors.push(mistake);
            }
            (items, complete)
        }
        meta => {
            errors.push(Error::new_spanned(meta, "expected a list of items: `#[vexora(required, max_length = 32)]`"));
            (Vec::new(), false)
        }
    }
}

/// The items of a `#[serde(...)]`. What vexora cannot read is left for serde
/// to report, so mistakes are dropped here.
fn serde_items(attr: &Attribute) -> Vec<Item> {
    match &attr.meta {
        Meta::List(list) => split_items(list.tokens.clone()).0,
        _ => Vec::new(),
    }
}

/// Splits `a, b = value, c(...)` into items. A malformed item becomes an
/// error and splitting goes on at the next comma.
fn split_items(tokens: TokenStream) -> (Vec<Item>, Vec<Error>) {
    let mut items = Vec::new();
    let mut mistakes = Vec::new();
    let parser = |input: ParseStream<'_>| -> syn::Result<()> {
        while !input.is_empty() {
            if !input.peek(Ident::peek_any) {
                let junk = until_comma(input)?;
                mistakes.push(spanned_or(&junk, input.span(), "expected an item name, like `required`"));
                input.parse::<Option<Token![,]>>()?;
                continue;
            }
            let name = input.call(Ident::parse_any)?;
            let arg = if input.peek(Token![=]) {
                let eq = input.parse::<Token![=]>()?;
                Arg::Value { eq, value: until_comma(input)? }
            } else if input.peek(token::Paren) {
                let content;
                let paren = syn::parenthesized!(content in input);
                Arg::List { paren, content: content.parse()? }
            } else {
                Arg::None
            };
            if !input.is_empty() && !input.peek(Token![,]) {
                let junk = until_comma(input)?;
                mistakes.push(Error::new_spanned(junk, "expected `,` between items"));
            }
            input.parse::<Option<Token![,]>>()?;
            items.push(Item { name, arg });
        }
        Ok(())
    };
    if let Err(error) = parser.parse2(tokens) {
        mistakes.push(error);
    }
    (items, mistakes)
}

/// Consumes token trees up to (not including) the next comma outside `<...>`.
fn until_comma(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream::new();
        let mut angle_depth = 0usize;
        let mut after_joint_arrow_start = false;
        while let Some((tree, next)) = rest.token_tree() {
            if let TokenTree::Punct(punct) = &tree {
                match punct.as_char() {
                    ',' if angle_depth == 0 => break,
                    '<' => angle_depth += 1,
                    // `->` and `=>` are not closing angle brackets.
                    '>' if !after_joint_arrow_start => angle_depth = angle_depth.saturating_sub(1),
                    _ => {}
                }
                after_joint_arrow_start =
                    matches!(punct.as_char(), '-' | '=') && punct.spacing() == proc_macro2::Spacing::Joint;
            } else {
                after_joint_arrow_start = false;
            }
            tokens.extend([tree]);
            rest = next;
        }
        Ok((tokens, rest))
    })
}

/// An error at `tokens`, or at `fallback` when there are none.
fn spanned_or(tokens: &TokenStream, fallback: Span, message: &str) -> Error {
    if tokens.is_empty() { Error::new(fallback, message) } else { Error::new_spanned(tokens, message) }
}

/// The value of `name = value`.
fn value<'i>(item: &'i Item, example: &str) -> syn::Result<&'i TokenStream> {
    match &item.arg {
        Arg::Value { eq, value } if value.is_empty() => {
            Err(Error::new_spanned(eq, format!("expected a value after `=`: `{example}`")))
        }
        Arg::Value { value, .. } => Ok(value),
        Arg::None => Err(Error::new_spanned(&item.name, format!("`{}` needs a value: `{example}`", item.name))),
        Arg::List { paren, .. } => {
            Err(Error::new(paren.span.join(), format!("`{}` takes `= value`, not `(...)`: `{example}`", item.name)))
        }
    }
}

/// The string of `name = "..."`.
fn lit_str(item: &Item, example: &str) -> syn::Result<LitStr> {
    let tokens = value(item, example)?;
    syn::parse2::<LitStr>(tokens.clone())
        .map_err(|_| Error::new_spanned(tokens, format!("expected a string literal: `{example}`")))
}

/// The content of `name(...)`, with the span of the parentheses.
fn list<'i>(item: &'i Item, example: &str) -> syn::Result<(Span, &'i TokenStream)> {
    match &item.arg {
        Arg::List { paren, content } => Ok((paren.span.join(), content)),
        Arg::None => Err(Error::new_spanned(&item.name, example)),
        Arg::Value { eq, value } => {
            let mut tokens = eq.to_token_stream();
            tokens.extend(value.clone());
            Err(Error::new_spanned(tokens, example))
        }
    }
}

/// Rejects an argument on an item that takes none.
fn no_value(item: &Item) -> syn::Result<()> {
    let message = format!("`{0}` takes no value: write `{0}` alone", item.name);
    match &item.arg {
        Arg::None => Ok(()),
        Arg::Value { eq, value } => {
            let mut tokens = eq.to_token_stream();
            tokens.extend(value.clone());
            Err(Error::new_spanned(tokens, message))
        }
        Arg::List { paren, .. } => Err(Error::new(paren.span.join(), message)),
    }
}

fn duplicate(name: &Ident) -> Error {
    Error::new_spanned(name, format!("duplicate `{name}`: give it once"))
}

fn unknown(name: &Ident, place: &str, known: &[Symbol]) -> Error {
    let message = format!("unknown vexora {place} attribute `{name}`; expected one of {}", symbol::list(known));
    Error::new_spanned(name, message)
}

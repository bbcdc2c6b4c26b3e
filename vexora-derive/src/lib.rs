//! Derive macros for vexora: `#[derive(Signable)]` and `#[derive(Validate)]`.
//!
//! Use them through the `vexora` crate, which re-exports both. Each derive
//! runs the same pipeline: `syntax` reads the attributes into a raw model,
//! `check` applies every rule that spans items or fields, `emit` writes the
//! impl. Mistakes are all reported at once, each at its own tokens, next to a
//! stub impl (`fallback`) so they do not cascade.

mod builder;
mod case;
mod check;
mod emit;
mod errors;
mod fallback;
mod model;
mod spec;
mod symbol;
mod syntax;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `vexora::Signable`: the fields in canonical signing order, with
/// `timestamp` at its sorted place; and `vexora::Endpoint` when the struct has
/// `#[vexora(spec = "region/name", response = DataType)]`. The spec file
/// (`spec/<region>/<name>.toml` in the compiled package) gives the path and
/// the call kind, and every field must agree with it: a difference is a
/// compile error at the field.
///
/// An endpoint struct must be `#[non_exhaustive]` (so a field the gateway
/// adds is not a breaking change) and implement `Default`. It gets
/// `builder()`, the way other crates build it: a setter per field, taking
/// anything that converts into it (an `Option<T>` field takes the `T`), and a
/// `build` that compiles only once every `required` field is set, naming each
/// one missing.
///
/// Every field needs `#[vexora(...)]` with a presence marker (`required`,
/// `optional`, `required_if(field = "VALUE")`) or `skip`. Wire names follow
/// `#[vexora(rename = "...")]`, `#[serde(rename = "...")]` and
/// `#[serde(rename_all = "...")]`.
#[proc_macro_derive(Signable, attributes(vexora))]
pub fn derive_signable(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, emit::signable, fallback::signable).into()
}

/// Derives `vexora::validation::Validate`: a `FIELDS` table of every signed
/// field's presence and rules (`min_length`, `max_length`, `digits`,
/// `pattern`, `email`, `ip`, `url`, `one_of(...)`, `custom = path`), and a
/// `validate` that reports every violation at once, in field order.
#[proc_macro_derive(Validate, attributes(vexora))]
pub fn derive_validate(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input, emit::validate, fallback::validate).into()
}

type Emit = fn(&DeriveInput, &model::Model<'_>) -> proc_macro2::TokenStream;
type Fallback = fn(&DeriveInput, Option<&model::Model<'_>>) -> proc_macro2::TokenStream;

/// parse → check → emit, or every error plus the fallback impls.
fn expand(input: &DeriveInput, emit: Emit, fallback: Fallback) -> proc_macro2::TokenStream {
    let mut errors = errors::Errors::default();
    let spec_root = spec::root();
    let model = syntax::parse(input).map(|raw| check::check(raw, &spec_root, &mut errors));
    match (model, errors.finish()) {
        (Ok(model), Ok(())) => emit(input, &model),
        (model, collected) => {
            let mut tokens = proc_macro2::TokenStream::new();
            for error in [model.as_ref().err(), collected.as_ref().err()].into_iter().flatten() {
                tokens.extend(error.to_compile_error());
            }
            tokens.extend(fallback(input, model.as_ref().ok()));
            tokens
        }
    }
}

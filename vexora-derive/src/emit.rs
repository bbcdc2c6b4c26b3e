//! Writes the impls from the checked model (and nothing else: every decision
//! was made in `check.rs`).

use proc_macro2::{Literal, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, GenericParam, Generics, Ident, WhereClause};
use vexora_spec::pattern::{CharClass, ParsedItem};

use crate::model::{Endpoint, Field, Format, Model, Presence, Reconcile, Rule, SignStep, TypeRules};

/// `impl Signable`, and for an endpoint struct `impl Endpoint` and its builder.
pub(crate) fn signable(input: &DeriveInput, model: &Model<'_>) -> TokenStream {
    let ty = model.ident;
    let (impl_generics, ty_generics, _) = model.generics.split_for_impl();
    let where_clause = where_clause(model);
    let visits = model.signing_order.iter().map(|step| match *step {
        SignStep::Timestamp => quote!(visitor.visit("timestamp", timestamp);),
        SignStep::Field(i) => {
            let field = &model.fields[i];
            let span = type_span(field);
            let value = member_at(field, span);
            let name = &field.wire_name;
            quote_spanned! {span=>
                ::vexora::__private::WireValue::with_wire_text(&self.#value, |text| visitor.visit(#name, text));
            }
        }
    });
    let endpoint = endpoint_impl(model.ident, model.generics, model.endpoint.as_ref());
    let builder = crate::builder::builder(input, model, crate::builder::Start::Default);
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::vexora::Signable for #ty #ty_generics #where_clause {
                fn visit_wire_fields<__V: ::vexora::__private::FieldVisitor + ?::core::marker::Sized>(
                    &self,
                    timestamp: &str,
                    visitor: &mut __V,
                ) {
                    #(#visits)*
                }
            }
            #endpoint
        };
        #builder
    }
}

/// `impl Endpoint`, when the struct names one (also emitted by the fallback,
/// so a struct with field mistakes still works as an endpoint).
pub(crate) fn endpoint_impl(ty: &Ident, generics: &Generics, endpoint: Option<&Endpoint>) -> Option<TokenStream> {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    endpoint.map(|endpoint| {
        let Endpoint { id, region, path, response, file, keys, .. } = endpoint;
        let call = if endpoint.reads_only { quote!(Read) } else { quote!(Create) };
        // Recompiles the struct when its spec file changes.
        let depend_on_file = file.as_ref().map(|file| {
            quote!(
                const _: &[u8] = ::core::include_bytes!(#file);
            )
        });
        let reconcile = endpoint.reconcile.as_ref().map(|Reconcile { query }| {
            quote! {
                #[automatically_derived]
                impl #impl_generics ::vexora::endpoint::Reconcilable for #ty #ty_generics #where_clause {
                    type Query = #query;
                }
            }
        });
        let create = match (&endpoint.reconcile, &endpoint.unfindable) {
            (Some(Reconcile { query, .. }), _) => Some(quote! {
                type Found = <#query as ::vexora::Endpoint>::Response;
                fn look_up<'a, T: ::vexora::transport::Transport>(
                    &'a self,
                    client: &'a ::vexora::Client<T>,
                    timeout: ::core::time::Duration,
                ) -> ::vexora::resolve::LookUp<'a, Self::Found> {
                    ::vexora::resolve::look_up_by_read(self, client, timeout)
                }
            }),
            (None, Some(why)) => Some(quote! {
                type Found = ::vexora::resolve::Unfindable;
                fn look_up<'a, T: ::vexora::transport::Transport>(
                    &'a self,
                    _: &'a ::vexora::Client<T>,
                    _: ::core::time::Duration,
                ) -> ::vexora::resolve::LookUp<'a, Self::Found> {
                    ::vexora::resolve::LookUp::Impossible(#why)
                }
            }),
            (None, None) => None,
        }
        .map(|items| {
            quote! {
                #[automatically_derived]
                impl #impl_generics ::vexora::resolve::Create for #ty #ty_generics #where_clause {
                    #items
                }
            }
        });
        let by_keys = endpoint.by_keys.as_ref().map(|keys| {
            let set = keys.iter().map(|(member, wire_name)| {
                quote! {
                    read.#member = ::vexora::endpoint::FromKey::from_key(keys.value_of(#wire_name).unwrap_or_default());
                }
            });
            quote! {
                #[automatically_derived]
                impl #impl_generics ::vexora::endpoint::ByKeys for #ty #ty_generics #where_clause {
                    fn by_keys(keys: &dyn ::vexora::endpoint::KeyValues) -> Self {
                        let mut read = <Self as ::core::default::Default>::default();
                        #(#set)*
                        read
                    }
                }
            }
        });
        quote! {
            #[automatically_derived]
            impl #impl_generics ::vexora::Endpoint for #ty #ty_generics #where_clause {
                const SPEC: &'static str = #id;
                const REGION: &'static str = #region;
                const PATH: &'static str = #path;
                const CALL: ::vexora::endpoint::CallKind = ::vexora::endpoint::CallKind::#call;
                const KEYS: &'static [&'static str] = &[#(#keys),*];
                type Response = #response;
            }
            #depend_on_file
            #reconcile
            #create
            #by_keys
        }
    })
}

/// `impl Validate`: the `FIELDS` table and the `validate` that runs it.
pub(crate) fn validate(_: &DeriveInput, model: &Model<'_>) -> TokenStream {
    let ty = model.ident;
    let (impl_generics, ty_generics, _) = model.generics.split_for_impl();
    let where_clause = where_clause(model);
    let mut patterns = Vec::new();
    let mut specs = Vec::new();
    let mut type_checks = Vec::new();
    for field in &model.fields {
        let rules: Vec<TokenStream> = field.rules.iter().map(|rule| rule_tokens(rule, &mut patterns)).collect();
        let name = &field.wire_name;
        let rust_name = &field.rust_name;
        let presence = &field.presence;
        let field_ty = field.ty;
        specs.push(quote! {
            ::vexora::__private::FieldSpec {
                name: #name,
                rust_name: #rust_name,
                presence: #presence,
                rules: &[#(#rules),*],
                type_rules: <#field_ty as ::vexora::__private::WireValue>::TYPE_RULES,
            }
        });
        if let Some(TypeRules { keys, message }) = &field.type_rules {
            // At the field's type: that is what has the wrong rules.
            type_checks.push(quote_spanned! {type_span(field)=>
                const _: () = ::core::assert!(
                    ::vexora::__private::RuleKey::same_set(
                        &[#(#keys),*],
                        <#field_ty as ::vexora::__private::WireValue>::TYPE_RULES,
                    ),
                    #message,
                );
            });
        }
    }
    let checks = model.fields.iter().enumerate().map(|(i, field)| {
        let index = Literal::usize_unsuffixed(i);
        let span = type_span(field);
        let value = member_at(field, span);
        let condition = match &field.presence {
            Presence::RequiredIf { member, values, .. } => quote! {
                ::vexora::__private::WireValue::with_wire_text(&self.#member, |text| [#(#values),*].contains(&text))
                    .unwrap_or(false)
            },
            Presence::Required | Presence::Optional => quote!(false),
        };
        quote_spanned! {span=>
            report.check(&<Self as ::vexora::validation::Validate>::FIELDS[#index], &self.#value, #condition);
        }
    });
    // `mut` only when something is checked, or an empty struct would warn.
    let mutability = (!model.fields.is_empty()).then(|| quote!(mut));
    quote! {
        const _: () = {
            #(#patterns)*
            #(#type_checks)*
            #[automatically_derived]
            impl #impl_generics ::vexora::validation::Validate for #ty #ty_generics #where_clause {
                const FIELDS: &'static [::vexora::__private::FieldSpec] = &[#(#specs),*];

                fn validate(&self) -> ::core::result::Result<(), ::vexora::validation::ValidationErrors> {
                    let #mutability report = ::vexora::__private::Report::new();
                    #(#checks)*
                    report.finish()
                }
            }
        };
    }
}

/// A rule as a `Rule` expression; a pattern also becomes a `const` in `patterns`.
fn rule_tokens(rule: &Rule, patterns: &mut Vec<TokenStream>) -> TokenStream {
    match rule {
        Rule::MinLength(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote!(::vexora::__private::Rule::MinLength(#n))
        }
        Rule::MaxLength(n) => {
            let n = Literal::usize_unsuffixed(*n);
            quote!(::vexora::__private::Rule::MaxLength(#n))
        }
        Rule::Digits => quote!(::vexora::__private::Rule::Digits),
        Rule::MinAmount(min) => quote!(::vexora::__private::Rule::MinAmount(#min)),
        Rule::Pattern { source, items } => {
            let name = format_ident!("PATTERN_{}", patterns.len());
            let items = items.iter().map(item_tokens);
            // A `const`, not a `static`: constants may not refer to statics
            // before Rust 1.83, and `FIELDS` is a constant.
            patterns.push(quote! {
                const #name: ::vexora::__private::Pattern = ::vexora::__private::Pattern {
                    source: #source,
                    items: &[#(#items),*],
                };
            });
            quote!(::vexora::__private::Rule::Pattern(&#name))
        }
        Rule::Format(format) => quote!(::vexora::__private::Rule::Format(#format)),
        Rule::OneOf(values) => quote!(::vexora::__private::Rule::OneOf(&[#(#values),*])),
        Rule::Custom { name, path } => quote! {
            ::vexora::__private::Rule::Custom(::vexora::__private::CustomRule { name: #name, check: #path })
        },
    }
}

impl ToTokens for Presence {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self {
            Presence::Required => quote!(::vexora::__private::Presence::Required),
            Presence::Optional => quote!(::vexora::__private::Presence::Optional),
            Presence::RequiredIf { wire_name, values, .. } => quote! {
                ::vexora::__private::Presence::RequiredIf { field: #wire_name, values: &[#(#values),*] }
            },
        });
    }
}

impl ToTokens for Format {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self {
            Format::Email => quote!(::vexora::__private::Format::Email),
            Format::Ip => quote!(::vexora::__private::Format::Ip),
            Format::HttpUrl => quote!(::vexora::__private::Format::HttpUrl),
        });
    }
}

/// A compiled pattern item as a `PatternItem` expression.
fn item_tokens(item: &ParsedItem) -> TokenStream {
    let class = class_tokens(&item.class);
    let min = Literal::u32_unsuffixed(item.min);
    let max = if item.max == u32::MAX {
        quote!(::core::primitive::u32::MAX)
    } else {
        Literal::u32_unsuffixed(item.max).into_token_stream()
    };
    quote! {
        ::vexora::__private::PatternItem { class: #class, min: #min, max: #max }
    }
}

/// A character class as a `CharClass` expression, its set's ranges a slice.
fn class_tokens(class: &CharClass<Vec<(char, char)>>) -> TokenStream {
    match class {
        CharClass::Literal(c) => quote!(::vexora::__private::CharClass::Literal(#c)),
        CharClass::Any => quote!(::vexora::__private::CharClass::Any),
        CharClass::Digit => quote!(::vexora::__private::CharClass::Digit),
        CharClass::Word => quote!(::vexora::__private::CharClass::Word),
        CharClass::Space => quote!(::vexora::__private::CharClass::Space),
        CharClass::Set { negated, ranges } => {
            let ranges = ranges.iter().map(|(low, high)| quote!((#low, #high)));
            quote!(::vexora::__private::CharClass::Set { negated: #negated, ranges: &[#(#ranges),*] })
        }
    }
}

/// Where a field's value is read: reported at its type when the type has no
/// wire text, but resolved like the rest of the impl.
fn type_span(field: &Field<'_>) -> Span {
    field.ty.span().resolved_at(Span::call_site())
}

/// The field's member with `span`, so the whole `&self.field` expression
/// points at the type.
fn member_at(field: &Field<'_>, span: Span) -> Ident {
    let mut member = field.member.clone();
    member.set_span(span);
    member
}

/// The struct's where clause plus `Type: WireValue` for every field type that
/// mentions a type parameter (concrete types need no bound).
fn where_clause(model: &Model<'_>) -> Option<WhereClause> {
    let params: Vec<&Ident> = model
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(param) => Some(&param.ident),
            GenericParam::Lifetime(_) | GenericParam::Const(_) => None,
        })
        .collect();
    let mut where_clause = model.generics.where_clause.clone();
    if params.is_empty() {
        return where_clause;
    }
    for field in &model.fields {
        if mentions(field.ty.to_token_stream(), &params) {
            let ty = field.ty;
            let clause = where_clause.get_or_insert_with(|| syn::parse_quote!(where));
            clause.predicates.push(syn::parse_quote!(#ty: ::vexora::__private::WireValue));
        }
    }
    where_clause
}

fn mentions(tokens: TokenStream, params: &[&Ident]) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => params.iter().any(|param| **param == ident),
        TokenTree::Group(group) => mentions(group.stream(), params),
        TokenTree::Punct(_) | TokenTree::Literal(_) => false,
    })
}

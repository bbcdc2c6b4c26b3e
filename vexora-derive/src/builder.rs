//! The typed builder of an endpoint struct: one setter per signed field, and
//! a `build` that compiles only once every `required` field is set.
//!
//! Each required field has a state parameter, `Unset` until its setter runs
//! and `Set` after. `build` asks each state for a trait named after the
//! field, which only `Set` implements and whose message names the field, so a
//! forgotten one reads "the required field `amount` is not set" at `build`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::{Attribute, Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::model::{Model, Presence};

/// Where a builder starts.
pub(crate) enum Start {
    /// From the struct's `Default`.
    Default,
    /// Nowhere: the fallback's builder, which only has to type-check (so it
    /// adds no "`Default` not implemented" to the real errors).
    Unreachable,
}

/// `Struct::builder()`, the builder type and its field traits, for an
/// endpoint struct without generics (`None` for any other struct).
pub(crate) fn builder(input: &DeriveInput, model: &Model<'_>, start: Start) -> Option<TokenStream> {
    if model.endpoint.is_none() || !input.generics.params.is_empty() {
        return None;
    }
    let ty = &input.ident;
    let vis = &input.vis;
    let builder = format_ident!("{}Builder", ty);
    let fields_mod = format_ident!("__{}Fields", ty);

    let required: Vec<&Ident> =
        model.fields.iter().filter(|field| matches!(field.presence, Presence::Required)).map(|f| f.member).collect();
    let states: Vec<Ident> = (0..required.len()).map(|i| format_ident!("S{}", i)).collect();

    let setters = model.fields.iter().map(|field| {
        let member = field.member;
        let docs = docs_of(input, member);
        let (param, stored) = match option_inner(field.ty) {
            Some(inner) => (inner, quote!(::core::option::Option::Some(value.into()))),
            None => (field.ty, quote!(value.into())),
        };
        let after = match required.iter().position(|name| *name == member) {
            Some(index) => {
                let after = states
                    .iter()
                    .enumerate()
                    .map(|(i, state)| if i == index { quote!(::vexora::builder::Set) } else { quote!(#state) });
                quote!(#builder<#(#after),*>)
            }
            None => quote!(Self),
        };
        quote! {
            #(#docs)*
            pub fn #member(mut self, value: impl ::core::convert::Into<#param>) -> #after {
                self.value.#member = #stored;
                #builder { value: self.value, state: ::core::marker::PhantomData }
            }
        }
    });
    let assigned = required.iter().zip(&states).map(|(member, state)| quote!(#state: #fields_mod::#member));
    let field_traits = required.iter().map(|member| {
        let name = member.unraw();
        let message = format!("the required field `{name}` is not set");
        let label = format!("call `.{name}(...)` before `build`");
        quote! {
            #[diagnostic::on_unimplemented(message = #message, label = #label)]
            pub trait #member {}
            impl #member for ::vexora::builder::Set {}
        }
    });
    let build_where = (!required.is_empty()).then(|| quote!(where #(#assigned),*));
    let builder_doc = format!(
        "A [`{ty}`] built field by field, from [`{ty}::builder`].\n\n\
         [`build`]({builder}::build) compiles once every required field is set; fields required only \
         under a condition, and every rule, are checked by `validate` and by the client before anything is sent."
    );
    let constructor_doc = format!(
        "Starts a [`{builder}`]: a setter per field, taking anything that converts into it \
         (optional fields take the value itself), and a `build` that compiles once every required field is set."
    );
    let body = match start {
        // The error for a struct without `Default` points at the struct.
        Start::Default => quote_spanned! {ty.span()=>
            #builder { value: <#ty as ::core::default::Default>::default(), state: ::core::marker::PhantomData }
        },
        Start::Unreachable => quote!(::core::unreachable!()),
    };
    Some(quote! {
        #[doc(hidden)]
        // Named after the fields they stand for, as rustc shows them in its
        // notes next to the message.
        #[allow(non_camel_case_types, non_snake_case)]
        #vis mod #fields_mod {
            #(#field_traits)*
        }

        #[doc = #builder_doc]
        #[must_use = "a builder does nothing until `build` is called"]
        #vis struct #builder<#(#states = ::vexora::builder::Unset),*> {
            value: #ty,
            state: ::core::marker::PhantomData<(#(#states,)*)>,
        }

        impl #ty {
            #[doc = #constructor_doc]
            pub fn builder() -> #builder {
                #body
            }
        }

        impl<#(#states),*> #builder<#(#states),*> {
            #(#setters)*

            /// The request, once every required field is set.
            pub fn build(self) -> #ty #build_where {
                self.value
            }
        }
    })
}

/// The field's doc comments, which become its setter's.
fn docs_of<'a>(input: &'a DeriveInput, member: &Ident) -> Vec<&'a Attribute> {
    let Data::Struct(data) = &input.data else { return Vec::new() };
    let Fields::Named(named) = &data.fields else { return Vec::new() };
    named
        .named
        .iter()
        .find(|field| field.ident.as_ref() == Some(member))
        .map(|field| field.attrs.iter().filter(|attr| attr.path().is_ident("doc")).collect())
        .unwrap_or_default()
}

/// `T` of a field written `Option<T>`, whose setter takes the value itself.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match (last.ident == "Option", args.args.len(), args.args.first()) {
        (true, 1, Some(GenericArgument::Type(inner))) => Some(inner),
        _ => None,
    }
}

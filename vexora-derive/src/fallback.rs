//! What is emitted next to the errors when the input is wrong (like
//! thiserror's `fallback.rs`): impls whose bodies never run, so the user sees
//! one error per mistake instead of "trait not implemented" wherever the
//! struct is used.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::model::Model;

/// A stub `impl Signable`, plus `impl Endpoint` and the builder when the
/// struct names an endpoint.
pub(crate) fn signable(input: &DeriveInput, model: Option<&Model<'_>>) -> TokenStream {
    let ty = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let endpoint = crate::emit::endpoint_impl(ty, &input.generics, model.and_then(|model| model.endpoint.as_ref()));
    let builder = model.and_then(|model| crate::builder::builder(input, model, crate::builder::Start::Unreachable));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::vexora::Signable for #ty #ty_generics #where_clause {
                fn visit_wire_fields<__V: ::vexora::__private::FieldVisitor + ?::core::marker::Sized>(
                    &self,
                    _: &str,
                    _: &mut __V,
                ) {
                    ::core::unreachable!()
                }
            }
            #endpoint
        };
        #builder
    }
}

/// A stub `impl Validate` with an empty table.
pub(crate) fn validate(input: &DeriveInput, _: Option<&Model<'_>>) -> TokenStream {
    let ty = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics ::vexora::validation::Validate for #ty #ty_generics #where_clause {
                const FIELDS: &'static [::vexora::__private::FieldSpec] = &[];

                fn validate(&self) -> ::core::result::Result<(), ::vexora::validation::ValidationErrors> {
                    ::core::unreachable!()
                }
            }
        };
    }
}

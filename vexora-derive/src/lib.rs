//! Derive macros for vexora (placeholder until the derive lands).
use proc_macro::TokenStream;
/// Derives `vexora::Signable`.
#[proc_macro_derive(Signable, attributes(vexora))]
pub fn derive_signable(_input: TokenStream) -> TokenStream { TokenStream::new() }
/// Derives `vexora::Validate`.
#[proc_macro_derive(Validate, attributes(vexora))]
pub fn derive_validate(_input: TokenStream) -> TokenStream { TokenStream::new() }

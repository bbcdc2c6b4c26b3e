//! Which read finds what a create made, after an unknown outcome: the one
//! its spec names (`reconcile_with`), which `#[derive(Signable)]` turns
//! into the create's `Reconcilable::Query`.
//!
//! Whether a request type is `Reconcilable` is settled by method
//! resolution on a concrete type: the impl on `Probe<E>` is found before
//! the one on `&Probe<E>`, and applies only where `E: Reconcilable`. So
//! `(&Probe::<E>::new()).read()`, with both traits in scope, must name a
//! concrete `E` (the registry's, in `for_each_endpoint!`'s callback): for
//! a generic parameter it would always answer `None`.

use std::marker::PhantomData;

use vexora::Endpoint;
use vexora::endpoint::Reconcilable;

/// A request type, asked which read reconciles it.
pub struct Probe<E>(PhantomData<E>);

impl<E> Probe<E> {
    /// The question for `E`.
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

/// The answer for a create whose spec names its read.
pub trait ReconciledBy {
    /// The read's spec name, `region/name`.
    fn read(&self) -> Option<&'static str>;
}

impl<E: Reconcilable> ReconciledBy for Probe<E> {
    fn read(&self) -> Option<&'static str> {
        Some(<E::Query as Endpoint>::SPEC)
    }
}

/// The answer for every other request: no read finds it.
pub trait NotReconciled {
    /// `None`.
    fn read(&self) -> Option<&'static str>;
}

impl<E> NotReconciled for &Probe<E> {
    fn read(&self) -> Option<&'static str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{NotReconciled as _, Probe, ReconciledBy as _};

    macro_rules! read {
        ($request:ty) => {
            (&Probe::<$request>::new()).read()
        };
    }

    #[test]
    fn a_create_is_reconciled_by_the_read_its_spec_names() {
        assert_eq!(read!(vexora::taiwan::PayoutRequest), Some("taiwan/payout-query"));
        assert_eq!(read!(vexora::taiwan::CheckoutRequest), Some("taiwan/query-pay-in-result"));
        assert_eq!(read!(vexora::australia::KycApplicationRequest), None);
        assert_eq!(read!(vexora::taiwan::PayInQueryRequest), None);
    }
}

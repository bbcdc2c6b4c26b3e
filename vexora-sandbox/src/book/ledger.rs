//! The ledger of a merchant's money in one region, and the balances read
//! from it.

use std::collections::BTreeMap;

use crate::book::calendar::LocalDay;
use crate::book::money::Cents;

/// The three balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Balance {
    pub(crate) available: Cents,
    pub(crate) frozen: Cents,
    pub(crate) unsettled: Cents,
}

/// A merchant's money, kept as it moves, so that a balance is read without
/// walking every order: paid-in amounts by the local day they were paid
/// (available from the next day on), and what payouts hold or took.
///
/// `ceiling` is the opening balance, everything paid in and every paying
/// order's whole amount: the most the ledger can ever hold. An order that
/// would take it past what [`Cents`] holds is refused when it is created,
/// so every later sum (a payment, a balance) fits; those sums are checked
/// all the same, and one that does not fit is an error, never a clamp.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ledger {
    pub(crate) opening: Cents,
    pub(crate) paid_in_by_day: BTreeMap<LocalDay, Cents>,
    pub(crate) frozen: Cents,
    pub(crate) paid_out: Cents,
    pub(crate) ceiling: Cents,
}

impl Ledger {
    pub(crate) fn opened_with(opening: Cents) -> Self {
        Self { opening, ceiling: opening, ..Self::default() }
    }

    pub(crate) fn balance(&self, today: LocalDay) -> Option<Balance> {
        let settled = Cents::checked_sum(self.paid_in_by_day.range(..today).map(|(_, amount)| *amount))?;
        let unsettled = Cents::checked_sum(self.paid_in_by_day.range(today..).map(|(_, amount)| *amount))?;
        let available = self.opening.checked_add(settled)?.checked_sub(self.frozen)?.checked_sub(self.paid_out)?;
        Some(Balance { available, frozen: self.frozen, unsettled })
    }
}

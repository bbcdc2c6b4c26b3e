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

    /// Money held for something going out leaves the frozen balance: paid
    /// out for good (`paid_out`), or available again. `None`, and nothing
    /// changed, if the books would not fit it.
    pub(crate) fn release(&mut self, amount: Cents, paid_out: bool) -> Option<()> {
        let frozen = self.frozen.checked_sub(amount)?;
        let paid = if paid_out { self.paid_out.checked_add(amount)? } else { self.paid_out };
        (self.frozen, self.paid_out) = (frozen, paid);
        Some(())
    }

    /// Money `expected` in (counted against the ceiling) is settled: `paid`
    /// of it is paid in on `today`, the rest no longer counts. `None`, and
    /// nothing changed, if the books would not fit it.
    pub(crate) fn receive(&mut self, expected: Cents, paid: Cents, today: LocalDay) -> Option<()> {
        let day_total = self.paid_in_by_day.get(&today).copied().unwrap_or_default().checked_add(paid)?;
        let ceiling = self.ceiling.checked_sub(expected)?.checked_add(paid)?;
        self.ceiling = ceiling;
        if !paid.is_zero() {
            self.paid_in_by_day.insert(today, day_total);
        }
        Some(())
    }

    pub(crate) fn balance(&self, today: LocalDay) -> Option<Balance> {
        let settled = Cents::checked_sum(self.paid_in_by_day.range(..today).map(|(_, amount)| *amount))?;
        let unsettled = Cents::checked_sum(self.paid_in_by_day.range(today..).map(|(_, amount)| *amount))?;
        let available = self.opening.checked_add(settled)?.checked_sub(self.frozen)?.checked_sub(self.paid_out)?;
        Some(Balance { available, frozen: self.frozen, unsettled })
    }
}

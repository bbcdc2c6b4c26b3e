//! Where a record stands, and the one rule that moves it: settlement.
//!
//! A record's state is `(state, paid so far)`. Every observation (an answer,
//! a query result, a notification) proposes a new pair; the record moves
//! only forward, and the money moved is the difference in `paid`. So the
//! same fact seen twice, or two facts in either order, move exactly what
//! was paid.

use std::fmt;

use vexora::types::TradeStatus;

use crate::observation::Reported;
use crate::{Error, Kind, Money};

/// Where a record stands in the merchant's books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Recorded before sending; no answer yet.
    Intent,
    /// Sent, and the answer was lost: it may or may not exist.
    Unknown,
    /// A query said the gateway has no such record. Never final: a later
    /// answer or notification still settles it.
    NotFound,
    /// The gateway refused the create. Not final either: money the gateway
    /// later reports received is still credited.
    Refused,
    /// `0015`: waiting for the payer, or the payout is on its way.
    Processing,
    /// `0001`: part of a pay-in was paid; `paid` says how much.
    Partial,
    /// `0000`: paid in full (or paid out). Final.
    Paid,
    /// `00029`: failed. Final.
    Failed,
}

impl State {
    /// Every state, in lifecycle order.
    pub const ALL: [Self; 8] = [
        Self::Intent,
        Self::Unknown,
        Self::NotFound,
        Self::Refused,
        Self::Processing,
        Self::Partial,
        Self::Paid,
        Self::Failed,
    ];

    /// The stored name (`intent`, `not_found`, `paid`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Intent => "intent",
            Self::Unknown => "unknown",
            Self::NotFound => "not_found",
            Self::Refused => "refused",
            Self::Processing => "processing",
            Self::Partial => "partial",
            Self::Paid => "paid",
            Self::Failed => "failed",
        }
    }

    /// Whether the state never changes again (paid, failed).
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Paid | Self::Failed)
    }

    /// Whether nothing the gateway said is known to exist yet.
    const fn is_before_gateway(self) -> bool {
        matches!(self, Self::Intent | Self::Unknown | Self::NotFound | Self::Refused)
    }

    pub(crate) fn parse(text: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| Error::Corrupt { what: format!("record state {text:?}") })
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What settlement decided for one observation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Transition {
    pub(crate) state: State,
    pub(crate) paid: Money,
    /// Why a person must look, when the observation cannot be applied as is.
    pub(crate) attention: Option<String>,
}

/// The one settlement rule: where a record of `kind`, created for `amount`,
/// now at `(state, paid)`, goes on `reported`.
pub(crate) fn transition(kind: Kind, amount: Money, state: State, paid: Money, reported: &Reported) -> Transition {
    let stay = Transition { state, paid, attention: None };
    let look = |reason: String| Transition { state, paid, attention: Some(reason) };
    let to = |new: State, paid: Money| Transition { state: new, paid, attention: None };
    match reported {
        // Sent (again) with its outcome unknown: the gateway may have it now.
        Reported::OutcomeUnknown if matches!(state, State::Intent | State::NotFound | State::Refused) => {
            to(State::Unknown, paid)
        }
        Reported::NotFound if matches!(state, State::Intent | State::Unknown) => to(State::NotFound, paid),
        Reported::Refused { .. } if matches!(state, State::Intent | State::Unknown | State::NotFound) => {
            to(State::Refused, paid)
        }
        Reported::OutcomeUnknown | Reported::NotFound | Reported::Refused { .. } => stay,
        Reported::Status { status, amount: reported_amount } => match status {
            TradeStatus::Processing if state.is_before_gateway() => to(State::Processing, paid),
            TradeStatus::Processing => stay,
            TradeStatus::Success => match reported_amount {
                Some(received) if *received == amount => match state {
                    State::Paid => stay,
                    State::Failed => look(format!("{status} for {received} after the record failed")),
                    _ => to(State::Paid, amount.max(paid)),
                },
                _ => look(format!("{status} with amount {} for a record of {amount}", shown(reported_amount))),
            },
            TradeStatus::Partial if kind == Kind::Payout => look(format!("{status} is not a payout status")),
            TradeStatus::Partial => match reported_amount {
                Some(received) if !received.is_zero() && *received < amount => match state {
                    State::Failed if *received > paid => {
                        look(format!("{status} for {received} after the record failed"))
                    }
                    _ if state.is_final() || *received <= paid => stay,
                    _ => to(State::Partial, *received),
                },
                _ => look(format!("{status} with amount {} for a record of {amount}", shown(reported_amount))),
            },
            TradeStatus::Failed => match state {
                State::Paid => look(format!("{status} after the record was paid")),
                _ if state.is_final() => stay,
                _ => to(State::Failed, paid),
            },
            other => look(format!("status {other} is not known to the ledger")),
        },
    }
}

fn shown(amount: &Option<Money>) -> String {
    amount.map_or_else(|| "none".to_owned(), |amount| amount.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn status(code: &str, amount: Option<&str>) -> Reported {
        Reported::Status { status: TradeStatus::from_code(code), amount: amount.map(money) }
    }

    /// Applies `events` in order to a fresh pay-in of 300; the final state and paid.
    fn run(kind: Kind, events: &[Reported]) -> (State, Money) {
        let (mut state, mut paid) = (State::Intent, Money::ZERO);
        for event in events {
            let next = transition(kind, money("300"), state, paid, event);
            assert!(next.paid >= paid, "paid never goes down");
            (state, paid) = (next.state, next.paid);
        }
        (state, paid)
    }

    #[test]
    fn final_states_never_reopen() {
        let paid = status("0000", Some("300.00"));
        assert_eq!(run(Kind::PayIn, &[paid.clone(), status("0015", None)]), (State::Paid, money("300")));
        assert_eq!(run(Kind::PayIn, &[paid.clone(), Reported::NotFound]), (State::Paid, money("300")));
        assert_eq!(run(Kind::PayIn, &[status("00029", None), status("0015", None)]).0, State::Failed);
        let late_failure = transition(Kind::PayIn, money("300"), State::Paid, money("300"), &status("00029", None));
        assert_eq!(late_failure.state, State::Paid);
        assert!(late_failure.attention.is_some());
    }

    #[test]
    fn partial_payments_in_either_order_end_at_what_was_paid() {
        let (first, second) = (status("0001", Some("100")), status("0001", Some("250")));
        assert_eq!(run(Kind::PayIn, &[first.clone(), second.clone()]), (State::Partial, money("250")));
        assert_eq!(run(Kind::PayIn, &[second.clone(), first.clone()]), (State::Partial, money("250")));
        let full = status("0000", Some("300"));
        assert_eq!(run(Kind::PayIn, &[first, full.clone(), second]), (State::Paid, money("300")));
    }

    #[test]
    fn not_found_is_never_final() {
        let events = [Reported::OutcomeUnknown, Reported::NotFound, status("0000", Some("300"))];
        assert_eq!(run(Kind::PayIn, &events), (State::Paid, money("300")));
        let refused = [Reported::Refused { code: "9999".into() }, status("0015", None)];
        assert_eq!(run(Kind::Payout, &refused).0, State::Processing);
    }

    #[test]
    fn a_create_sent_again_with_its_outcome_unknown_is_unknown_again() {
        let again = [Reported::OutcomeUnknown, Reported::NotFound, Reported::OutcomeUnknown];
        assert_eq!(run(Kind::Payout, &again).0, State::Unknown);
        let after_refusal = [Reported::Refused { code: "9999".into() }, Reported::OutcomeUnknown];
        assert_eq!(run(Kind::PayIn, &after_refusal).0, State::Unknown);
        let paid = [status("0000", Some("300")), Reported::OutcomeUnknown];
        assert_eq!(run(Kind::PayIn, &paid), (State::Paid, money("300")), "made: nothing to look at");
    }

    #[test]
    fn amounts_that_do_not_fit_are_kept_for_a_person() {
        for event in
            [status("0000", Some("299.99")), status("0000", None), status("0001", Some("300")), status("0042", None)]
        {
            let next = transition(Kind::PayIn, money("300"), State::Processing, Money::ZERO, &event);
            assert_eq!((next.state, next.paid), (State::Processing, Money::ZERO), "{event:?}");
            assert!(next.attention.is_some(), "{event:?}");
        }
        let partial_payout =
            transition(Kind::Payout, money("300"), State::Processing, Money::ZERO, &status("0001", Some("1")));
        assert!(partial_payout.attention.is_some());
    }
}

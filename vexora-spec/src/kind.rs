//! What an endpoint does, as data: whether it creates or reads, which way
//! it moves money, which fields identify what it makes, and which read
//! finds it afterwards. The kinds the SDK knows are names for such data;
//! a new kind states it in its spec file.

use serde::Deserialize;

/// An endpoint's `kind`: one the SDK knows, whose name implies what it
/// does, or a new one, whose spec file says it (`money`, `keys`, and
/// `reconcile_with` or `unfindable`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum Kind {
    /// A kind the SDK knows.
    Known(EndpointKind),
    /// A kind the SDK has no name for, e.g. `refund`.
    New(String),
}

impl Kind {
    /// The known kind, if it is one.
    pub fn known(&self) -> Option<EndpointKind> {
        match self {
            Self::Known(kind) => Some(*kind),
            Self::New(_) => None,
        }
    }

    /// The name the spec file gives, e.g. `checkout` or `refund`.
    pub fn name(&self) -> &str {
        match self {
            Self::Known(kind) => kind.name(),
            Self::New(name) => name,
        }
    }
}

impl From<String> for Kind {
    fn from(name: String) -> Self {
        EndpointKind::from_name(&name).map_or(Self::New(name), Self::Known)
    }
}

impl PartialEq<EndpointKind> for Kind {
    fn eq(&self, other: &EndpointKind) -> bool {
        self.known() == Some(*other)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The kinds the SDK knows: each a name for what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointKind {
    /// Creates a pay-in order and returns a hosted cashier link.
    Checkout,
    /// Creates a direct pay-in and returns payment instructions.
    Deposit,
    /// Sends money out of the merchant's balance.
    Payout,
    /// Submits the payer's proof of a payment already made.
    Submit,
    /// Reads a pay-in by `tradeNo`.
    PayInQuery,
    /// Reads a payout by `tradeNo`.
    PayoutQuery,
    /// Reads the merchant's balances.
    Balance,
    /// Applies for a payer's identity check (KYC), which some payment
    /// methods need before they can be used.
    KycApplication,
    /// Reads how a payer's identity check stands.
    KycStatus,
}

impl EndpointKind {
    /// Every known kind.
    pub const ALL: [Self; 9] = [
        Self::Checkout,
        Self::Deposit,
        Self::Payout,
        Self::Submit,
        Self::PayInQuery,
        Self::PayoutQuery,
        Self::Balance,
        Self::KycApplication,
        Self::KycStatus,
    ];

    /// The kind a spec file names `name` (`checkout`, `pay-in-query`, ...).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The name spec files give it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Checkout => "checkout",
            Self::Deposit => "deposit",
            Self::Payout => "payout",
            Self::Submit => "submit",
            Self::PayInQuery => "pay-in-query",
            Self::PayoutQuery => "payout-query",
            Self::Balance => "balance",
            Self::KycApplication => "kyc-application",
            Self::KycStatus => "kyc-status",
        }
    }

    /// Whether it makes something or only reads.
    pub fn call(self) -> CallKind {
        match self {
            Self::Checkout | Self::Deposit | Self::Payout | Self::Submit | Self::KycApplication => CallKind::Create,
            Self::PayInQuery | Self::PayoutQuery | Self::Balance | Self::KycStatus => CallKind::Read,
        }
    }

    /// Which way it moves money. A submission moves the pay-in it proves.
    pub fn money(self) -> MoneyFlow {
        match self {
            Self::Checkout | Self::Deposit | Self::Submit => MoneyFlow::In,
            Self::Payout => MoneyFlow::Out,
            Self::PayInQuery | Self::PayoutQuery | Self::Balance | Self::KycApplication | Self::KycStatus => {
                MoneyFlow::None
            }
        }
    }

    /// The request fields that identify what it makes (a create) or what it
    /// reads (a read): none for a create no read can find, or a read of the
    /// whole account.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Self::Checkout | Self::Deposit | Self::Payout | Self::PayInQuery | Self::PayoutQuery => &["tradeNo"],
            Self::KycStatus => &["kycNumber"],
            Self::Submit | Self::Balance | Self::KycApplication => &[],
        }
    }

    /// Whether the call can move money (or an order that will), so that
    /// sending it twice could charge or pay twice.
    pub fn moves_money(self) -> bool {
        self.money() != MoneyFlow::None
    }

    /// Whether the call only reads, so that sending it again is harmless.
    /// A KYC application neither reads nor moves money: it is a `create`,
    /// never resent, since a second application could start a second review.
    pub fn only_reads(self) -> bool {
        self.call() == CallKind::Read
    }

    /// Why no read can find what this kind creates after an unknown
    /// outcome, for a create that has no read (`None` for the others).
    pub fn unfindable_because(self) -> Option<&'static str> {
        match self {
            Self::Submit => Some(
                "no read shows whether a submission arrived (the pay-in query shows the order, not the submission)",
            ),
            Self::KycApplication => {
                Some("the identity check's read needs the kycNumber that only the lost answer carries")
            }
            Self::Checkout
            | Self::Deposit
            | Self::Payout
            | Self::PayInQuery
            | Self::PayoutQuery
            | Self::Balance
            | Self::KycStatus => None,
        }
    }

    /// The read kind that finds what this kind creates, if any.
    pub fn reconciled_by(self) -> Option<Self> {
        match self {
            Self::Checkout | Self::Deposit => Some(Self::PayInQuery),
            Self::Payout => Some(Self::PayoutQuery),
            Self::Submit
            | Self::PayInQuery
            | Self::PayoutQuery
            | Self::Balance
            | Self::KycApplication
            | Self::KycStatus => None,
        }
    }
}

/// Paths that move money whatever a spec says of them: a second check, so
/// that a spec that mislabels one of them still fails.
pub(crate) const MONEY_MOVING_PATHS: [&str; 5] = [
    "/v1/vexora/checkout",
    "/v1/vexora/deposits",
    "/v1/vexora/disbursements",
    "/v1/vexora/payinSubmit",
    "/v1/vexora/payInSubmit",
];

/// Whether a call may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallKind {
    /// Only reads: retried on transient failures.
    Read,
    /// Creates something: never resent after an ambiguous failure.
    Create,
}

/// Which way an endpoint moves money, seen from the merchant's balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MoneyFlow {
    /// A payer pays the merchant (a pay-in).
    In,
    /// The merchant pays someone (a payout).
    Out,
    /// The merchant gives a payer's money back (a refund).
    Back,
    /// No money moves.
    None,
}

impl MoneyFlow {
    /// The name spec files give it.
    pub fn name(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
            Self::Back => "back",
            Self::None => "none",
        }
    }
}

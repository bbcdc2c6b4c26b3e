//! What the gateway said about a record: an answer to the create, a query
//! result, or a verified notification. All three settle through one path,
//! [`Ledger::settle`](crate::Ledger::settle).

use std::borrow::Cow;
use std::fmt;

use vexora::data::{CheckoutData, PayInResult, PayoutData, PayoutResult};
use vexora::notification::{PayInNotification, PayoutNotification};
use vexora::types::{DecimalText, TradeStatus};

use crate::{Error, Kind, Money, RecordKeys, State};

/// Where an observation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The gateway's answer to the create (or the lack of one).
    Answer,
    /// The result of a query (`queryPayInResult`, `queryPayOutResult`).
    Query,
    /// A verified notification.
    Notification,
}

impl Source {
    /// `answer`, `query` or `notification`, as stored.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Answer => "answer",
            Self::Query => "query",
            Self::Notification => "notification",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was reported.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reported {
    /// The create was sent and its answer lost (`Error::OutcomeUnknown`).
    OutcomeUnknown,
    /// A query found no such record (the gateway's "no such order" code).
    NotFound,
    /// The gateway refused the create, with its code.
    Refused {
        /// The gateway's code.
        code: String,
    },
    /// A status, and the amount paid so far when the gateway said it
    /// (for `0001`, the part paid up to now).
    Status {
        /// The business status.
        status: TradeStatus,
        /// The amount paid so far, exact.
        amount: Option<Money>,
    },
}

/// One thing the gateway said about one record, ready to settle.
///
/// Build it from what the SDK returns:
///
/// ```
/// use vexora::notification::Verifier;
/// use vexora::AppSecret;
/// use vexora_ledger::{Kind, Observation, RecordKeys};
///
/// let body = br#"{"platFormTradeNo":"c167o1itir0fypid","tradeNo":"00000007","amount":"300",
///     "status":"0000","message":"success","remark":"000000","sign":"d2a1dfad392f7d937b2cc1660401a647"}"#;
/// let notification = Verifier::new(AppSecret::new("test-app-secret-123")).pay_in(body)?;
/// let observation = Observation::pay_in_notification(&notification)?;
/// assert_eq!(observation.kind(), Kind::PayIn);
/// assert_eq!(observation.keys(), &RecordKeys::trade_no("00000007"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    kind: Kind,
    keys: RecordKeys,
    source: Source,
    reported: Reported,
    dedup: String,
}

impl Observation {
    /// An observation of anything, for calls the constructors below do not
    /// cover. Two observations with the same kind, keys, source and report
    /// are one: the second is a no-op.
    pub fn new(kind: Kind, keys: RecordKeys, source: Source, reported: Reported) -> Self {
        let what = match &reported {
            Reported::OutcomeUnknown => "outcome_unknown".to_owned(),
            Reported::NotFound => "not_found".to_owned(),
            Reported::Refused { code } => format!("refused:{code}"),
            Reported::Status { status, amount } => format!("{status}:{}", amount_text(amount)),
        };
        let dedup = format!("{source}|{kind}|{keys}|{what}");
        Self { kind, keys, source, reported, dedup }
    }

    /// A verified notification that arrived at the pay-in `notifyUrl`.
    ///
    /// Deduplicated by the SDK's [`DedupKey`](vexora::notification::DedupKey)
    /// (kind, `tradeNo`, status) and the amount, so a second `0001` for a
    /// larger amount is a new partial payment, not a duplicate.
    pub fn pay_in_notification(notification: &PayInNotification) -> Result<Self, Error> {
        let key = notification.dedup_key();
        Self::notification(key, notification.amount.as_ref())
    }

    /// A verified notification that arrived at the payout `notifyUrl`.
    pub fn payout_notification(notification: &PayoutNotification) -> Result<Self, Error> {
        let key = notification.dedup_key();
        Self::notification(key, notification.amount.as_ref())
    }

    fn notification(key: vexora::notification::DedupKey, amount: Option<&DecimalText>) -> Result<Self, Error> {
        let kind = Kind::try_from(key.kind)?;
        let amount = amount.map(Money::try_from).transpose()?;
        let keys = RecordKeys::trade_no(key.trade_no.as_str());
        let mut observation = Self::new(
            kind,
            keys,
            Source::Notification,
            Reported::Status { status: TradeStatus::from_code(&key.status), amount },
        );
        // The SDK's key names the notification; the amount tells partial payments apart.
        observation.dedup =
            format!("notification|{}|{}|{}|{}", key.kind, key.trade_no, key.status, amount_text(&amount));
        Ok(observation)
    }

    /// A pay-in query's result (`queryPayInResult`).
    pub fn pay_in_query(result: &PayInResult) -> Result<Self, Error> {
        let amount = result.amount.as_ref().map(Money::try_from).transpose()?;
        let reported = Reported::Status { status: result.status.clone(), amount };
        Ok(Self::new(Kind::PayIn, RecordKeys::trade_no(result.trade_no.as_str()), Source::Query, reported))
    }

    /// A payout query's result (`queryPayOutResult`).
    pub fn payout_query(result: &PayoutResult) -> Result<Self, Error> {
        let amount = result.amount.as_ref().map(Money::try_from).transpose()?;
        let reported = Reported::Status { status: result.status.clone(), amount };
        Ok(Self::new(Kind::Payout, RecordKeys::trade_no(result.trade_no.as_str()), Source::Query, reported))
    }

    /// A checkout's answer: its status, with no amount.
    pub fn checkout_answer(data: &CheckoutData) -> Self {
        let reported = Reported::Status { status: data.status.clone(), amount: None };
        Self::new(Kind::PayIn, RecordKeys::trade_no(data.trade_no.as_str()), Source::Answer, reported)
    }

    /// A payout's answer: its status, with no amount.
    pub fn payout_answer(data: &PayoutData) -> Self {
        let reported = Reported::Status { status: data.status.clone(), amount: None };
        Self::new(Kind::Payout, RecordKeys::trade_no(data.trade_no.as_str()), Source::Answer, reported)
    }

    /// The create's answer was lost (`Error::OutcomeUnknown`): the record
    /// becomes due for the reconciler at once.
    pub fn outcome_unknown(kind: Kind, keys: RecordKeys) -> Self {
        Self::new(kind, keys, Source::Answer, Reported::OutcomeUnknown)
    }

    /// The gateway refused the create with `code`. Not final: money the
    /// gateway later reports received is still credited.
    pub fn refused(kind: Kind, keys: RecordKeys, code: impl Into<String>) -> Self {
        Self::new(kind, keys, Source::Answer, Reported::Refused { code: code.into() })
    }

    /// A query found no such record.
    pub fn not_found(kind: Kind, keys: RecordKeys) -> Self {
        Self::new(kind, keys, Source::Query, Reported::NotFound)
    }

    /// What it is about.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Which record.
    pub fn keys(&self) -> &RecordKeys {
        &self.keys
    }

    /// Where it came from.
    pub fn source(&self) -> Source {
        self.source
    }

    /// What was reported.
    pub fn reported(&self) -> &Reported {
        &self.reported
    }

    /// The text under which it is applied at most once.
    pub fn dedup(&self) -> &str {
        &self.dedup
    }

    /// The key it is applied under to a record last changed at
    /// `changed_at_ms` and standing in `state`. A status moves money, so it
    /// counts once whenever it comes. What the merchant's side saw (an
    /// unknown outcome, "not found", a refusal) moves none, and can
    /// truly happen again: a create sent again after "not found" may end
    /// unknown once more. It counts once per state of the record.
    pub(crate) fn dedup_on(&self, state: State, changed_at_ms: i64) -> Cow<'_, str> {
        match self.reported {
            Reported::Status { .. } => Cow::Borrowed(&self.dedup),
            _ => Cow::Owned(format!("{}|on:{state}@{changed_at_ms}", self.dedup)),
        }
    }

    pub(crate) fn status_code(&self) -> Option<&str> {
        match &self.reported {
            Reported::Status { status, .. } => Some(status.code()),
            Reported::Refused { code } => Some(code),
            Reported::OutcomeUnknown | Reported::NotFound => None,
        }
    }

    pub(crate) fn amount(&self) -> Option<Money> {
        match &self.reported {
            Reported::Status { amount, .. } => *amount,
            _ => None,
        }
    }
}

fn amount_text(amount: &Option<Money>) -> String {
    amount.map_or_else(|| "-".to_owned(), |amount| amount.to_string())
}

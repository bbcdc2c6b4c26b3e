//! A judged request, as the handler of its endpoint's kind gets it: its
//! fields by wire name, and what the answer and the records it creates
//! need from the gateway.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::book::money::Cents;
use crate::book::visibility::{VisibilityDelay, hidden_for_ms};
use crate::gateway::body::Fields;
use crate::gateway::envelope::{Refusal, SandboxCode, shorten};

/// The fields that name how money moves, as regions' specs spell them.
const CHANNEL_FIELDS: [&str; 5] = ["channelCode", "wayCode", "payType", "paymentType", "bankCode"];

/// A request that passed every check.
pub(crate) struct Call<'a> {
    pub(crate) merchant_no: &'a str,
    /// The endpoint's region (each region has its currency and balance).
    pub(crate) region: &'a str,
    pub(crate) fields: &'a Fields,
    /// The wire name of Vexora's id in the answer's `data`.
    pub(crate) platform_id: &'static str,
    /// `http://<addr>`: the root of the cashier's and the KYC links.
    pub(crate) public_url: &'a str,
    /// The embedding program's hook hiding new records from queries.
    pub(crate) visibility_delay: Option<&'a VisibilityDelay>,
    /// How long what this request creates stays hidden from queries (a
    /// `visible_after_ms` fault); 0 for most requests.
    pub(crate) hidden_for_ms: i64,
}

/// A request's `visible_after_ms` fault, carried to the handler that
/// creates the order, payout or spec-served record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HiddenFor(pub(crate) i64);

impl Call<'_> {
    /// A present field's text, or `""` (only for fields the spec requires,
    /// which judging has already checked).
    pub(crate) fn text(&self, name: &str) -> &str {
        self.fields.text(name).unwrap_or_default()
    }

    /// The `amount`, if the sandbox can keep it: to the hundredth, the most
    /// any region allows, so `300`, `300.5` and `300.50` are taken and
    /// `300.505` is refused, saying why. (Each region's own limit, such as
    /// whole units only, is its spec's rule, judged before this.)
    pub(crate) fn amount(&self) -> Result<Cents, Refusal> {
        kept_amount(self.text("amount"))
    }

    /// The channel fields present, joined for the dashboard (e.g.
    /// `NET_BANKING / BANK_TRANSFER`); `None` when the request had none.
    pub(crate) fn channel(&self) -> Option<String> {
        let named: Vec<&str> =
            CHANNEL_FIELDS.iter().filter_map(|name| self.fields.text(name)).filter(|text| !text.is_empty()).collect();
        (!named.is_empty()).then(|| named.join(" / "))
    }

    /// How long the `kind` (`"order"`, `"payout"` or a spec-served kind's
    /// name) this request creates
    /// under `trade_no` stays hidden from queries: the longer of the hook's
    /// delay and the request's fault. Decided before the book is locked: the
    /// hook is the embedding program's code.
    pub(crate) fn hidden_for_ms(&self, kind: &str, trade_no: &str) -> i64 {
        hidden_for_ms(self.visibility_delay, kind, trade_no, self.hidden_for_ms)
    }

    /// Vexora's id `id` under this endpoint's name for it.
    pub(crate) fn platform_id<'id>(&self, id: &'id str) -> PlatformId<'id> {
        PlatformId { name: self.platform_id, id }
    }
}

fn kept_amount(text: &str) -> Result<Cents, Refusal> {
    Cents::parse(text).ok_or_else(|| {
        Refusal::new(
            SandboxCode::InvalidField,
            format!("amount: the sandbox keeps amounts to the hundredth: {} is not one", shorten(text)),
        )
    })
}

/// Vexora's id of an order or payout, written as one member under the
/// endpoint's name for it (flattened into the answer's `data`).
pub(crate) struct PlatformId<'a> {
    pub(crate) name: &'static str,
    pub(crate) id: &'a str,
}

impl Serialize for PlatformId<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.name, self.id)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_kept_to_the_hundredth() {
        assert_eq!(kept_amount("300.50").map(|cents| cents.text(2)), Ok("300.50".to_owned()));
        let refusal = kept_amount("300.505").expect_err("refused");
        assert_eq!(refusal.code, SandboxCode::InvalidField);
        assert_eq!(refusal.message, "amount: the sandbox keeps amounts to the hundredth: 300.505 is not one");
    }
}

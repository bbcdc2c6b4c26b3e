//! `POST /v1/vexora/checkout`: create a hosted cashier order and get its
//! payment link (`spec/taiwan/checkout.toml`).

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::data::CheckoutData;
use crate::types::{Amount, Email, HttpUrl, TradeNo};
use crate::validation::Invalid;
use crate::wire::WireValue;

/// A Taiwan checkout: who pays, how much, by which channel, and where the
/// gateway reports back.
///
/// `timestamp` and `sign` are not fields: the [`Client`](crate::Client)
/// stamps and signs every request.
///
/// ```
/// use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
/// use vexora::types::{Amount, TradeNo};
/// use vexora::Validate;
///
/// let request = CheckoutRequest::builder()
///     .trade_no(TradeNo::generate())
///     .amount(Amount::new(300))
///     .mobile("0912345678")
///     .firstname("Mei")
///     .lastname("Lin")
///     .email("mei.lin@example.com")
///     .channel_code(ChannelCode::NetBanking)
///     .way_code(WayCode::BANK_TRANSFER)
///     .ip_address("203.0.113.7")
///     .bank_number("808-0368988888888")
///     .notify_url("https://merchant.example.com/vexora/notify")
///     .return_url("https://merchant.example.com/done")
///     .build();
/// assert!(request.validate().is_ok());
///
/// // Fields stay public: a request can be changed after it is built.
/// let mut at_a_store = request.clone();
/// at_a_store.channel_code = ChannelCode::Store;
/// assert_eq!(at_a_store.validate().unwrap_err().violations()[0].field, "postcode");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, crate::Signable, crate::Validate)]
// `default`: a field missing from JSON input is reported by validation as
// `required`, naming the field, instead of failing the whole parse.
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[vexora(spec = "taiwan/checkout", response = CheckoutData)]
#[non_exhaustive]
pub struct CheckoutRequest {
    /// Unique order number, at most 32 of `0-9 A-Z a-z _ -`
    /// ([`TradeNo::generate`] makes one).
    #[vexora(required, max_length = 32, pattern = "^[0-9A-Za-z_-]+$")]
    pub trade_no: TradeNo,
    /// Whole yuan (TWD), more than zero.
    #[vexora(required)]
    pub amount: Amount,
    /// The payer's real mobile number: 10 digits starting with 0, no
    /// country code (`09XXXXXXXX`).
    #[vexora(required, pattern = "^0\\d{9}$")]
    pub mobile: String,
    /// The payer's real first name.
    #[vexora(required)]
    pub firstname: String,
    /// The payer's real last name.
    #[vexora(required)]
    pub lastname: String,
    /// The payer's email address.
    #[vexora(required)]
    pub email: Email,
    /// How the payer pays.
    #[vexora(required, one_of("NET_BANKING", "STORE", "EWALLET"))]
    pub channel_code: ChannelCode,
    /// The payment channel within `channel_code` (the provider's WayCode
    /// appendix; see [`WayCode`]).
    #[vexora(required)]
    pub way_code: WayCode,
    /// The payer's real IP address. The gateway allows 10 orders a day per
    /// IP, at most 3 of them successful.
    #[vexora(required, ip)]
    pub ip_address: String,
    /// The payer's postal code; required for `STORE`.
    #[vexora(required_if(channel_code = "STORE"))]
    pub postcode: Option<String>,
    /// The payer's address; required for `STORE`.
    #[vexora(required_if(channel_code = "STORE"))]
    pub address: Option<String>,
    /// The payer's bank accounts, `<bank code>-<account>` separated by commas
    /// (`808-0358988888888,013-0458988888888888`); required for
    /// `NET_BANKING`. Funds from other accounts are refunded.
    #[vexora(required_if(channel_code = "NET_BANKING"), custom = bank_numbers)]
    pub bank_number: Option<String>,
    /// Where the gateway POSTs the signed payment notification.
    #[vexora(required)]
    pub notify_url: HttpUrl,
    /// Where the payer's browser goes after paying.
    #[vexora(required)]
    pub return_url: HttpUrl,
    /// Free text the gateway returns as is.
    #[vexora(optional)]
    pub remark: Option<String>,
}

/// Checks `bankNumber`: a comma-separated list of `<3-digit bank
/// code>-<account digits>`.
///
/// The provider's document writes its example with a non-ASCII hyphen
/// (U+2011); a value pasted from it gets a message that says so.
pub fn bank_numbers(text: &str) -> Result<(), Invalid> {
    // Entry by entry, saying what is wrong with the first entry that is.
    for entry in text.split(',') {
        let entry = entry.trim();
        // A lookalike dash is never ASCII; most entries are, and skip the scan.
        if let Some(dash) = (!entry.is_ascii()).then(|| entry.chars().find(|c| is_lookalike_dash(*c))).flatten() {
            return Err(Invalid::new(
                "bank_number",
                format!(
                    "{entry:?} uses the non-ASCII dash U+{:04X} (as pasted from the provider's document); \
                     separate bank code and account with the ASCII hyphen '-'",
                    u32::from(dash)
                ),
            ));
        }
        let well_formed = entry.split_once('-').is_some_and(|(bank, account)| {
            bank.len() == 3
                && bank.bytes().all(|b| b.is_ascii_digit())
                && !account.is_empty()
                && account.bytes().all(|b| b.is_ascii_digit())
        });
        if !well_formed {
            return Err(Invalid::new(
                "bank_number",
                format!(
                    "{entry:?} must be <3-digit bank code>-<account digits>, e.g. 808-0358988888888; \
                     separate several accounts with commas"
                ),
            ));
        }
    }
    Ok(())
}

fn is_lookalike_dash(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}')
}

/// The payment method (`channelCode`).
///
/// Unknown codes are kept in [`ChannelCode::Other`] so that reading one never
/// fails; the checkout's `one_of` rule then refuses it with a message listing
/// the documented codes, before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChannelCode {
    /// `NET_BANKING`: bank payment. Requires `bankNumber`.
    NetBanking,
    /// `STORE`: pay at a retail store. Requires `postcode` and `address`.
    Store,
    /// `EWALLET`: e-wallet.
    Ewallet,
    /// A code this SDK does not know, kept verbatim.
    Other(String),
}

impl ChannelCode {
    /// The wire code.
    pub fn as_str(&self) -> &str {
        match self {
            Self::NetBanking => "NET_BANKING",
            Self::Store => "STORE",
            Self::Ewallet => "EWALLET",
            Self::Other(code) => code,
        }
    }

    /// The channel for a wire code.
    pub fn from_code(code: &str) -> Self {
        match code {
            "NET_BANKING" => Self::NetBanking,
            "STORE" => Self::Store,
            "EWALLET" => Self::Ewallet,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl Default for ChannelCode {
    /// No channel: an empty code, which validation reports as missing.
    fn default() -> Self {
        Self::Other(String::new())
    }
}

impl fmt::Display for ChannelCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl WireValue for ChannelCode {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.as_str().with_wire_text(f)
    }
}

impl Serialize for ChannelCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ChannelCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Self::from_code(&code))
    }
}

/// The payment channel (`wayCode`).
///
/// The Taiwan WayCode appendix is not public, so any value
/// is accepted; the constants are only the values the provider's own Taiwan
/// examples use. Ask Vexora support for the list that applies to your account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WayCode(Cow<'static, str>);

impl WayCode {
    /// `BANK_TRANSFER`, used with `NET_BANKING` in the provider's example.
    pub const BANK_TRANSFER: WayCode = WayCode(Cow::Borrowed("BANK_TRANSFER"));
    /// `711` (7-Eleven), used with `STORE` in the provider's example.
    pub const SEVEN_ELEVEN: WayCode = WayCode(Cow::Borrowed("711"));

    /// Any way code, e.g. one from your account manager.
    pub fn new(code: impl Into<Cow<'static, str>>) -> Self {
        Self(code.into())
    }

    /// The wire code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WayCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl WireValue for WayCode {
    #[inline]
    fn with_wire_text<R>(&self, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.0.with_wire_text(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_numbers_accepts_the_documented_forms() {
        assert!(bank_numbers("808-0368988888888").is_ok());
        assert!(bank_numbers("808-0358988888888,013-0458988888888888").is_ok());
        assert!(bank_numbers("808-0358988888888, 013-0458988888888888").is_ok());
    }

    #[test]
    fn bank_numbers_names_a_pasted_unicode_dash() {
        let invalid = bank_numbers("808\u{2011}0368988888888").unwrap_err();
        assert_eq!(invalid.code, "bank_number");
        assert!(invalid.message.contains("U+2011"), "{}", invalid.message);
    }

    #[test]
    fn bank_numbers_refuses_malformed_entries() {
        for bad in ["0368988888888", "80-123", "808-", "808-12a", "808-1,", "abc-123"] {
            assert!(bank_numbers(bad).is_err(), "{bad}");
        }
    }
}

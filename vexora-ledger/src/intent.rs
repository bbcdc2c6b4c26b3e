//! What is about to be sent, recorded before it is.

use sha2::{Digest, Sha256};
use vexora::Endpoint;

use crate::{Error, Kind, Money, RecordKeys};

/// The request fields that name a record (as the SDK's record keys).
const RECORD_KEYS: [&str; 2] = ["tradeNo", "kycNumber"];

/// A create about to be sent: who, where, which record, how much, and a
/// hash of its signed fields. Never the payer's data: names, mobiles, ID
/// and bank numbers and card data stay out (only inside the hash).
///
/// ```
/// use vexora::taiwan::PayoutRequest;
/// use vexora_ledger::{Intent, Kind};
///
/// let payout = PayoutRequest::builder()
///     .trade_no("P0001")
///     .amount(300)
///     .bank_code("004")
///     .bank_number("3560123456789012")
///     .mobile("0912345678")
///     .email("payee@example.com")
///     .name("Lin Mei")
///     .notify_url("https://shop.example/vexora/payout")
///     .build();
/// let intent = Intent::of(Kind::Payout, "0000000001", &payout)?;
/// assert_eq!(intent.endpoint, "taiwan/payout");
/// assert_eq!(intent.keys.get("tradeNo"), Some("P0001"));
/// assert_eq!(intent.amount.to_string(), "300");
/// assert_eq!(intent.fields_hash.len(), 64);
/// # Ok::<(), vexora_ledger::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Intent {
    /// Pay-in or payout.
    pub kind: Kind,
    /// The merchant number the request is sent under.
    pub merchant_no: String,
    /// The region slug, e.g. `taiwan`.
    pub region: String,
    /// The spec name, e.g. `taiwan/checkout`.
    pub endpoint: String,
    /// Every record key the request carries (`tradeNo`, ...).
    pub keys: RecordKeys,
    /// The amount, exact.
    pub amount: Money,
    /// SHA-256 (lowercase hex) of the signed fields' canonical string,
    /// without the timestamp: the same request always hashes the same.
    pub fields_hash: String,
}

impl Intent {
    /// The intent of sending `request` under `merchant_no`.
    pub fn of<R: Endpoint>(kind: Kind, merchant_no: &str, request: &R) -> Result<Self, Error> {
        let fields = WireFields::of(request);
        let keys = fields.keys;
        if keys.is_empty() {
            return Err(Error::NoRecordKey);
        }
        let amount = Money::parse(fields.amount.as_deref().ok_or(Error::NoAmount)?)?;
        // An empty timestamp is left out of the canonical string, so the
        // hash covers the merchant's fields only.
        let canonical = vexora::signing::request_canonical(request, "");
        let fields_hash = hex(&Sha256::digest(canonical.as_bytes()));
        Ok(Self {
            kind,
            merchant_no: merchant_no.to_owned(),
            region: R::REGION.to_owned(),
            endpoint: R::SPEC.to_owned(),
            keys,
            amount,
            fields_hash,
        })
    }

    /// An intent from its parts, for requests the SDK does not model.
    pub fn new(
        kind: Kind,
        merchant_no: impl Into<String>,
        endpoint: impl Into<String>,
        keys: RecordKeys,
        amount: Money,
        fields_hash: impl Into<String>,
    ) -> Self {
        let endpoint = endpoint.into();
        let region = endpoint.split_once('/').map_or("", |(region, _)| region).to_owned();
        Self { kind, merchant_no: merchant_no.into(), region, endpoint, keys, amount, fields_hash: fields_hash.into() }
    }
}

/// The record keys and the amount among a request's wire fields.
#[derive(Default)]
struct WireFields {
    keys: RecordKeys,
    amount: Option<String>,
}

impl WireFields {
    fn of<R: Endpoint>(request: &R) -> Self {
        let mut fields = Self::default();
        request.visit_wire_fields("", &mut fields);
        fields
    }
}

// The SDK's field walk (`Signable::visit_wire_fields`); its visitor trait
// is reachable only through the derive's private path for now.
impl vexora::FieldVisitor for WireFields {
    fn visit(&mut self, key: &str, value: &str) {
        if RECORD_KEYS.contains(&key) {
            self.keys = std::mem::take(&mut self.keys).with(key, value);
        } else if key == "amount" {
            self.amount = Some(value.to_owned());
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

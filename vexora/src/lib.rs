//! # vexora
//!
//! The Rust SDK for the Vexora payment gateway: create payment links, query
//! results and trust the gateway's notifications.
//!
//! - Requests are plain structs, built with their `builder()` (see
//!   [`builder`]). `#[derive(Signable, Validate)]` turns their
//!   `#[vexora(...)]` attributes into code that signs them (the gateway's
//!   sorted `key=value` + MD5 rule, computed without a map or a sort) and
//!   checks every documented rule before anything is sent.
//! - The [`Client`] validates, stamps `timestamp`, signs, writes the body and
//!   hands a finished [`HttpRequest`](transport::HttpRequest) to a
//!   [`Transport`](transport::Transport); surf on curl is the default.
//! - Responses decode into typed `data`; the envelope's `code` only says the
//!   call was accepted, `data.status` ([`types::TradeStatus`]) is the outcome.
//!
//! ```
//! # futures_lite::future::block_on(async {
//! use vexora::taiwan::{ChannelCode, CheckoutRequest, WayCode};
//! use vexora::transport::RecordingTransport;
//! use vexora::types::{Amount, TradeNo, TradeStatus};
//! use vexora::{Client, Config};
//!
//! let config = Config::builder()
//!     .merchant_no("0000000001")
//!     .app_secret("test-app-secret-123")
//!     .base_url("https://sandbox.example/taiwan")
//!     .build()?;
//! // A scripted transport, so this example runs offline.
//! let transport = RecordingTransport::new();
//! transport.reply(200, r#"{"msg":"success","code":"0000","timestamp":1728609277476,"success":true,
//!     "data":{"tradeNo":"00000007","platFormTradeNo":"c167o1itir0fypid","status":"0015",
//!     "desc":"Paying","paymentUrl":"https://cashier.example/pay/c167o1itir0fypid"}}"#);
//! let client = Client::with_transport(config, transport.clone());
//!
//! let order = client
//!     .send(
//!         &CheckoutRequest::builder()
//!             .trade_no(TradeNo::new("00000007"))
//!             .amount(Amount::new(300))
//!             .mobile("0912345678")
//!             .firstname("abc")
//!             .lastname("efg")
//!             .email("123@gmail.com")
//!             .channel_code(ChannelCode::NetBanking)
//!             .way_code(WayCode::BANK_TRANSFER)
//!             .ip_address("192.168.0.1")
//!             .bank_number("808-0368988888888")
//!             .notify_url("https://google.com")
//!             .return_url("http://abc.com/callback_page")
//!             .remark("000000")
//!             .build(),
//!     )
//!     .await?;
//! assert_eq!(order.status, TradeStatus::Processing);
//! assert_eq!(order.payment_url(), Some("https://cashier.example/pay/c167o1itir0fypid"));
//! assert_eq!(transport.requests()[0].header("merchantNo"), Some("0000000001"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `surf` | yes | [`transport::SurfTransport`] (surf on curl, any executor) and [`Client::new`]; [`Client::try_new`] builds the default `Client` on either backend |
//! | `reqwest` | no | [`transport::ReqwestTransport`] (reqwest on tokio, rustls with ring); the default `Client` when `surf` is off |
//! | `test-util` | no | [`transport::RecordingTransport`], a transport that records requests and answers from a script |
//! | `http` | no | `webhook`: the acknowledgement and the refusal as `http` responses |
//! | `axum` | no | `webhook::Verified`, an axum extractor that verifies notifications, and `IntoResponse` for the replies |
//! | `tracing` | no | a `vexora.call` span per call (endpoint, tradeNo, attempt, elapsed_ms, outcome), events for retries, unknown outcomes and refused notifications; never the secret, a `sign` or payer data |
//!
//! Every region of the provider's documents that the SDK models is a module
//! ([`taiwan`], [`japan`], ...); a client is bound to one region by its base
//! URL.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Lets the derive's absolute `::vexora::...` paths resolve inside this crate too.
extern crate self as vexora;

mod body;
mod borrowed;
pub mod builder;
pub mod client;
pub mod clock;
pub mod config;
mod const_text;
pub mod data;
pub mod endpoint;
pub mod envelope;
pub mod error;
pub mod notification;
mod random;
mod record_keys;
pub mod resolve;
pub mod retry;
pub mod signing;
mod trace;
pub mod transport;
pub mod types;
pub mod validation;
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub mod webhook;
mod wire;

// `pub mod <region>` for every region of `spec/` (see build.rs).
include!(concat!(env!("OUT_DIR"), "/regions.rs"));
// `for_each_endpoint!`, and each struct's claim on its spec file checked.
include!(concat!(env!("OUT_DIR"), "/endpoints.rs"));
// After the registry, whose macro its tests run over every endpoint.
mod spec_index;

pub use client::Client;
pub use config::{AppSecret, Config, ConfigError};
pub use endpoint::Endpoint;
pub use error::Error;
pub use record_keys::RecordKeys;
pub use validation::Validate;
pub use vexora_derive::{Signable, Validate};
pub use wire::{FieldVisitor, Signable};

/// What `#[derive(Signable, Validate)]` expands to. Not part of the API:
/// it changes without notice, so never name it in your code.
#[doc(hidden)]
pub mod __private {
    pub use crate::validation::report::Report;
    pub use crate::validation::spec::{CustomRule, FieldSpec, Format, Presence, Rule, RuleKey};
    pub use crate::wire::{FieldVisitor, WireValue};
    pub use vexora_spec::pattern::{CharClass, Pattern, PatternItem};
}

//! Webhook glue for web frameworks: the acknowledgement and the refusal as
//! `http` responses, and (with the `axum` feature) one extractor per kind of
//! notification, [`VerifiedPayIn`] and [`VerifiedPayout`], that reads the
//! raw body within [`notification::MAX_BODY_BYTES`](crate::notification::MAX_BODY_BYTES)
//! and verifies it with the router state's
//! [`notification::Verifier`](crate::notification::Verifier).
//!
//! Pay-in and payout notifications look alike, so each kind gets its own
//! route, and each create names its kind's route as its `notifyUrl`
//! (checkouts and deposits the pay-in one, payouts the payout one).
//!
//! ```
//! # #[cfg(feature = "axum")] {
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use vexora::notification::{Acknowledgement, Verifier};
//! use vexora::webhook::{VerifiedPayIn, VerifiedPayout};
//! use vexora::AppSecret;
//!
//! #[derive(Clone)]
//! struct Shop {
//!     verifier: Verifier,
//! }
//!
//! impl FromRef<Shop> for Verifier {
//!     fn from_ref(shop: &Shop) -> Verifier {
//!         shop.verifier.clone()
//!     }
//! }
//!
//! // A refused body never reaches the handler: the extractor answers
//! // 400 `FAIL`, so the gateway retries.
//! async fn pay_in(VerifiedPayIn(notification): VerifiedPayIn) -> Acknowledgement {
//!     // Record the outcome durably first, under `notification.dedup_key()`.
//!     println!("order {} is {}", notification.trade_no, notification.status);
//!     Acknowledgement
//! }
//!
//! async fn payout(VerifiedPayout(notification): VerifiedPayout) -> Acknowledgement {
//!     println!("payout {} is {}", notification.trade_no, notification.status);
//!     Acknowledgement
//! }
//!
//! let app: Router = Router::new()
//!     .route("/vexora/pay-in", post(pay_in)) // the checkouts' notifyUrl
//!     .route("/vexora/payout", post(payout)) // the payouts' notifyUrl
//!     .with_state(Shop { verifier: Verifier::new(AppSecret::new("test-app-secret-123")) });
//! # }
//! ```

use crate::notification::{Acknowledgement, NotificationError};
#[cfg(feature = "axum")]
use crate::notification::{MAX_BODY_BYTES, PayInNotification, PayoutNotification, Verifier};

/// The body of every refusal: anything but `OK` makes the gateway retry.
pub const REFUSAL_BODY: &str = "FAIL";

impl Acknowledgement {
    /// The acknowledgement as an `http` response: 200, `text/plain`, `OK`.
    pub fn http_response() -> http::Response<&'static str> {
        text_response(Self::STATUS, Self::BODY)
    }
}

/// A refused notification as an `http` response: 400, `text/plain`,
/// `FAIL`. The error is for your logs; the gateway only sees "not OK".
pub fn refusal_response(_error: &NotificationError) -> http::Response<&'static str> {
    text_response(400, REFUSAL_BODY)
}

fn text_response(status: u16, body: &'static str) -> http::Response<&'static str> {
    let mut response = http::Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    response
        .headers_mut()
        .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(Acknowledgement::CONTENT_TYPE));
    response
}

/// An axum extractor for a notification that arrived at a pay-in
/// `notifyUrl`: the raw body, read up to [`MAX_BODY_BYTES`] and verified
/// with the [`Verifier`] of the router's state (`impl FromRef<YourState>
/// for Verifier`).
///
/// A body that is too large, unreadable, or fails verification is answered
/// 400 `FAIL` by the rejection, [`Refused`], before the handler runs.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
#[derive(Debug)]
pub struct VerifiedPayIn(pub PayInNotification);

/// An axum extractor for a notification that arrived at a payout
/// `notifyUrl`; otherwise as [`VerifiedPayIn`].
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
#[derive(Debug)]
pub struct VerifiedPayout(pub PayoutNotification);

/// Why [`VerifiedPayIn`] or [`VerifiedPayout`] refused a request, answered
/// 400 `FAIL`.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The body could not be read within [`MAX_BODY_BYTES`].
    #[error("notification body unreadable or over {MAX_BODY_BYTES} bytes")]
    Body,
    /// The body was read but is not a genuine notification.
    #[error(transparent)]
    Invalid(#[from] NotificationError),
}

/// The body, read within [`MAX_BODY_BYTES`], and the state's verifier.
#[cfg(feature = "axum")]
async fn body_and_verifier<S>(
    request: axum::extract::Request,
    state: &S,
) -> Result<(axum::body::Bytes, Verifier), Refused>
where
    S: Send + Sync,
    Verifier: axum::extract::FromRef<S>,
{
    let verifier = <Verifier as axum::extract::FromRef<S>>::from_ref(state);
    let body = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES).await.map_err(|_| Refused::Body)?;
    Ok((body, verifier))
}

#[cfg(feature = "axum")]
impl<S> axum::extract::FromRequest<S> for VerifiedPayIn
where
    S: Send + Sync,
    Verifier: axum::extract::FromRef<S>,
{
    type Rejection = Refused;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Refused> {
        let (body, verifier) = body_and_verifier(request, state).await?;
        Ok(Self(verifier.pay_in(&body)?))
    }
}

#[cfg(feature = "axum")]
impl<S> axum::extract::FromRequest<S> for VerifiedPayout
where
    S: Send + Sync,
    Verifier: axum::extract::FromRef<S>,
{
    type Rejection = Refused;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Refused> {
        let (body, verifier) = body_and_verifier(request, state).await?;
        Ok(Self(verifier.payout(&body)?))
    }
}

#[cfg(feature = "axum")]
impl axum::response::IntoResponse for Refused {
    fn into_response(self) -> axum::response::Response {
        let (parts, body) = text_response(400, REFUSAL_BODY).into_parts();
        axum::response::Response::from_parts(parts, axum::body::Body::from(body))
    }
}

#[cfg(feature = "axum")]
impl axum::response::IntoResponse for Acknowledgement {
    fn into_response(self) -> axum::response::Response {
        let (parts, body) = Self::http_response().into_parts();
        axum::response::Response::from_parts(parts, axum::body::Body::from(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_acknowledgement_and_the_refusal_as_http_responses() {
        let ack = Acknowledgement::http_response();
        assert_eq!((ack.status().as_u16(), *ack.body()), (200, "OK"));
        assert_eq!(ack.headers()[http::header::CONTENT_TYPE], "text/plain");
        let refusal = refusal_response(&NotificationError::SignatureMismatch);
        assert_eq!((refusal.status().as_u16(), *refusal.body()), (400, "FAIL"));
    }
}

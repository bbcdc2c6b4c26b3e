//! Who called an action route under `/sandbox/`, and so how it is answered.
//! Scripts and the dashboard use the same routes: the dashboard's HTML
//! forms (recognised by their `back` field) get a `303` back to the page
//! they came from, or a page saying what went wrong; anything else is a
//! script and gets JSON.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::web::form;
use crate::web::json::json_response;
use crate::web::listing::Filter;
use crate::web::page;

/// Why an action could not be done: the HTTP status and a message.
pub(crate) type Refused = (StatusCode, String);

/// How to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    /// JSON, errors as `{"error": "..."}`.
    Script,
    /// A dashboard form: back to the dashboard with the filter it showed.
    /// `back` is the dashboard's URL for that filter, written anew from
    /// what the form's `back` field asks (never the field's own text).
    Page { back: String },
}

/// An action's request, read.
#[derive(Debug, Clone)]
pub(crate) struct ActionRequest {
    pub(crate) caller: Caller,
    /// The `merchantNo` header, or a form's `merchant_no` field.
    pub(crate) merchant_no: Option<String>,
    /// The fields of a form body (empty for any other body).
    pub(crate) form: Vec<(String, String)>,
    /// The body as received.
    pub(crate) body: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for ActionRequest {
    type Rejection = Response;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        // The server has read the whole body within its limit already.
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|error| (StatusCode::BAD_REQUEST, error.to_string()).into_response())?;
        Ok(Self::read(&parts.headers, body))
    }
}

impl ActionRequest {
    /// Reads a request. (One from another site never gets here: the
    /// server's guard, `server/origin.rs`, refuses it.)
    fn read(headers: &HeaderMap, body: Bytes) -> Self {
        let text = |name: header::HeaderName| headers.get(name).and_then(|value| value.to_str().ok());
        let is_form = text(header::CONTENT_TYPE)
            .and_then(|value| value.split(';').next())
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
        let form = if is_form { form::pairs(&String::from_utf8_lossy(&body)) } else { Vec::new() };
        let caller = match form::value(&form, "back") {
            Some(back) => {
                let filter = Filter::from_query(back);
                Caller::Page { back: filter.url(filter.page) }
            }
            None => Caller::Script,
        };
        let merchant_no = headers
            .get("merchantNo")
            .and_then(|value| value.to_str().ok())
            .or_else(|| form::value(&form, "merchant_no"))
            .filter(|no| !no.is_empty())
            .map(str::to_owned);
        Self { caller, merchant_no, form, body }
    }
}

impl Caller {
    /// The answer to an action: `done` as JSON for a script, a `303` to the
    /// dashboard for a form; a refusal as `{"error"}` or as a page.
    pub(crate) fn answer(&self, result: Result<Value, Refused>) -> Response {
        match (self, result) {
            (Self::Script, Ok(done)) => json_response(StatusCode::OK, &done),
            (Self::Script, Err((status, message))) => json_response(status, &json!({ "error": message })),
            (Self::Page { back }, Ok(_)) => see_other(back),
            (Self::Page { back }, Err((status, message))) => page::refusal(status, &message, back),
        }
    }
}

/// `303 See Other` to a path of ours.
fn see_other(path: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    // Our own path from percent-encoded parts: always a valid header value.
    if let Ok(location) = HeaderValue::from_str(path) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).expect("a header value"));
        }
        headers
    }

    #[test]
    fn forms_are_pages_and_the_rest_scripts() {
        let script = ActionRequest::read(&headers(&[("merchantNo", "M1")]), Bytes::from_static(b"{}"));
        assert_eq!((script.caller, script.merchant_no.as_deref()), (Caller::Script, Some("M1")));

        let form = headers(&[
            ("content-type", "application/x-www-form-urlencoded"),
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ]);
        let page = ActionRequest::read(&form, Bytes::from_static(b"merchant_no=M2&back=q%3DT1%26page%3D2"));
        assert_eq!(page.merchant_no.as_deref(), Some("M2"));
        let Caller::Page { back } = page.caller else { panic!("a page") };
        assert_eq!(back, "/sandbox?q=T1&page=2");

        // The way back is the dashboard's own URL, whatever the field says.
        let elsewhere = ActionRequest::read(&form, Bytes::from_static(b"back=https%3A%2F%2Fevil.test%2F"));
        assert_eq!(elsewhere.caller, Caller::Page { back: "/sandbox".to_owned() });
    }
}

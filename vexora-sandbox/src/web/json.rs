//! The control routes' answers: plain JSON, not the gateway's envelope;
//! errors are `{"error": "..."}` with an HTTP status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A JSON body with the given status.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `{"error": message}` with the given status.
pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    json_response(status, &json!({ "error": message.into() }))
}

/// One of our own plain data types as JSON.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Value {
    // Our own plain data types always serialize.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

//! The gateway, in process: the SDK's requests go straight into the
//! sandbox's service, with no socket, so a run costs no ports and no
//! network scheduling.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use vexora::transport::{HttpRequest, HttpResponse, MAX_RESPONSE_BYTES, Transport, TransportError, TransportErrorKind};
use vexora_sandbox::InProcessSandbox;

/// A [`Transport`] into an in-process sandbox. Clones share it.
#[derive(Clone)]
pub struct InProcessGateway {
    sandbox: Arc<InProcessSandbox>,
}

impl InProcessGateway {
    /// Requests to `sandbox`.
    pub fn new(sandbox: Arc<InProcessSandbox>) -> Self {
        Self { sandbox }
    }
}

impl Transport for InProcessGateway {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let broken = |what: String| TransportError::new(TransportErrorKind::Exchange, what);
        let host =
            request.url.split("://").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or_default().to_owned();
        let mut builder = axum::http::Request::builder().method(request.method).uri(&request.url).header("host", host);
        for (name, value) in request.headers.iter() {
            builder = builder.header(*name, value);
        }
        let http = builder.body(Body::from(request.body)).map_err(|error| broken(error.to_string()))?;
        let response = self.sandbox.call(http).await.map_err(|dropped| broken(dropped.to_string()))?;
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|value| value.to_str().ok()).map(str::to_owned);
        let body = axum::body::to_bytes(response.into_body(), MAX_RESPONSE_BYTES)
            .await
            .map_err(|error| TransportError::new(TransportErrorKind::Body, error.to_string()))?;
        Ok(HttpResponse { status, content_type, body: body.to_vec() })
    }

    async fn wait(&self, _: Duration) {}
}

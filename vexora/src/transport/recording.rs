//! A transport that records what it is asked to send and answers from a script.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::exchange::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// Records every request and answers with scripted replies, in order; when
/// the script runs out, it answers with the last reply again.
///
/// For tests of code that uses the [`Client`](crate::Client): assert the
/// exact bytes that would have gone out, or that nothing did.
///
/// ```
/// use vexora::transport::RecordingTransport;
///
/// let transport = RecordingTransport::new();
/// transport.reply(200, r#"{"code":"0000","msg":"success","data":{}}"#);
/// assert!(transport.requests().is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct RecordingTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    requests: Vec<HttpRequest>,
    waits: Vec<Duration>,
    replies: VecDeque<Result<HttpResponse, TransportError>>,
    last: Option<Result<HttpResponse, TransportError>>,
}

impl RecordingTransport {
    /// A transport with no replies scripted yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues an HTTP reply without a `Content-Type`.
    pub fn reply(&self, status: u16, body: impl Into<Vec<u8>>) -> &Self {
        self.push(Ok(HttpResponse { status, content_type: None, body: body.into() }))
    }

    /// Queues any HTTP reply.
    pub fn respond(&self, response: HttpResponse) -> &Self {
        self.push(Ok(response))
    }

    /// Queues a transport failure.
    pub fn fail(&self, error: TransportError) -> &Self {
        self.push(Err(error))
    }

    fn push(&self, reply: Result<HttpResponse, TransportError>) -> &Self {
        self.lock().replies.push_back(reply);
        self
    }

    /// Every request sent so far, oldest first.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.lock().requests.clone()
    }

    /// Every wait the client asked for between attempts, oldest first.
    /// The transport records them and returns at once, so tests of retries
    /// take no time.
    pub fn waits(&self) -> Vec<Duration> {
        self.lock().waits.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking test thread must not hide what was recorded.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Transport for RecordingTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut state = self.lock();
        state.requests.push(request);
        let reply = match state.replies.pop_front() {
            Some(reply) => reply,
            None => state.last.clone().unwrap_or_else(|| {
                Err(TransportError::new(TransportErrorKind::Connect, "RecordingTransport: no reply scripted"))
            }),
        };
        state.last = Some(reply.clone());
        reply
    }

    async fn wait(&self, duration: Duration) {
        self.lock().waits.push(duration);
    }
}

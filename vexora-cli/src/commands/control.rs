//! The sandbox's control routes (`/sandbox/...`) over HTTP: what `decide`,
//! `resend` and `clock` call, so they answer and fail the same way.

use futures_lite::future::block_on;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::failure::Failure;

/// POSTs to `<sandbox_url>/sandbox/<route>`, with the `merchantNo` header
/// when given and a JSON body when given; the sandbox's JSON answer, or
/// its message (exit 1).
pub(crate) fn post(
    sandbox_url: &str,
    merchant_no: Option<&str>,
    route: &str,
    json: Option<String>,
) -> Result<String, Failure> {
    let url = format!("{}/sandbox/{route}", sandbox_url.trim_end_matches('/'));
    block_on(async {
        let mut request = surf::post(&url);
        if let Some(merchant_no) = merchant_no {
            request = request.header("merchantNo", merchant_no);
        }
        if let Some(json) = json {
            request = request.body_string(json).content_type("application/json");
        }
        let mut response =
            request.await.map_err(|error| Failure::failed(format!("the sandbox at {url} did not answer: {error}")))?;
        let body = response.body_string().await.unwrap_or_default();
        if response.status().is_success() {
            Ok(body.trim_end().to_owned())
        } else {
            Err(Failure::failed(format!("the sandbox refused ({}): {}", response.status(), body.trim_end())))
        }
    })
}

/// Everything but the unreserved characters of RFC 3986.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A trade number as one path segment: percent-encoded beyond the
/// characters trade numbers usually have.
pub(crate) fn segment(trade_no: &str) -> String {
    utf8_percent_encode(trade_no, RESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trade_numbers_stay_one_segment() {
        assert_eq!(segment("T-0001_a.b~"), "T-0001_a.b~");
        assert_eq!(segment("a/b c?"), "a%2Fb%20c%3F");
    }
}

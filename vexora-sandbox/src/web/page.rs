//! The dashboard's pages as answers: the layout around a page's body, the
//! headers that keep its markup inert, and the page saying why an action
//! was refused.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

/// Where the stylesheet is served.
pub(crate) const STYLESHEET_PATH: &str = "/sandbox/dashboard.css";
/// Nothing runs on the page and nothing loads from elsewhere; forms post only here.
const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// An HTML page of ours, with the headers that keep markup in it inert.
pub(crate) fn html_response(status: StatusCode, title: &str, body: Markup) -> Response {
    let mut response = (status, page(title, body).into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Not `no-referrer`: with it Chromium posts the page's own forms with
    // `Origin: null`, which the action routes must refuse.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A whole page of ours around `body`, titled `title`.
fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Vexora sandbox" }
                link rel="stylesheet" href=(STYLESHEET_PATH);
            }
            body {
                header.top {
                    a href="/sandbox" { "Vexora sandbox dashboard" }
                    " "
                    span.badge { "SANDBOX · NO REAL MONEY" }
                }
                main { (body) }
            }
        }
    }
}

/// A page saying why a dashboard action was refused, with a link `back`
/// to the dashboard's page it came from (a URL of ours).
pub(crate) fn refusal(status: StatusCode, message: &str, back: &str) -> Response {
    html_response(status, "Refused", problem(status.as_u16(), message, back))
}

/// Why a dashboard action was refused (`status`), with a way back to the
/// page it came from.
fn problem(status: u16, message: &str, back: &str) -> Markup {
    html! {
        section.card.problem #problem {
            h2 { "The sandbox refused this (" (status) ")" }
            p { (message) }
            p { a href=(back) { "Back to the dashboard" } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        let page = problem(409, r#"<a href="x">'&'</a>"#, r#"/sandbox?q="><b>"#).into_string();
        assert!(page.contains("<p>&lt;a href=&quot;x&quot;&gt;'&amp;'&lt;/a&gt;</p>"), "{page}");
        assert!(page.contains(r#"<a href="/sandbox?q=&quot;&gt;&lt;b&gt;">"#), "{page}");
    }
}

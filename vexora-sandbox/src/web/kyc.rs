//! Identity checks (KYC), the reviewers' side: an application as JSON, and
//! the decision that moves it to under review, approved or rejected.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::book::applications::KycStatus;
use crate::web::Web;
use crate::web::caller::ActionRequest;
use crate::web::json::json_response;

/// The reason a rejection gives, so a merchant's handling of it can be tried.
const SANDBOX_REJECTION: &str = "Rejected in the sandbox";

/// `GET /sandbox/kyc/{kycNumber}`: one application, as JSON.
pub(crate) async fn show(State(web): State<Arc<Web>>, Path(kyc_number): Path<String>) -> Response {
    match web.book.applications().by_number.get(&kyc_number) {
        Some(application) => json_response(StatusCode::OK, &json!(application)),
        None => json_response(StatusCode::NOT_FOUND, &json!({ "error": format!("no KYC application {kyc_number}") })),
    }
}

/// `POST /sandbox/kyc/{kycNumber}/{review|approve|reject}`: the reviewers'
/// decision; a rejection carries a reason. A decided check can be decided
/// again, as a payer may resubmit documents. Like every action route, it
/// refuses a browser's request from another site.
pub(crate) async fn decide(
    State(web): State<Arc<Web>>,
    Path((kyc_number, action)): Path<(String, String)>,
    request: ActionRequest,
) -> Response {
    let result = (|| {
        let status = KycStatus::parse(&action).ok_or_else(|| {
            (StatusCode::NOT_FOUND, format!("unknown action {action:?}: use review, approve or reject"))
        })?;
        let mut applications = web.book.applications();
        let application = applications
            .by_number
            .get_mut(&kyc_number)
            .ok_or_else(|| (StatusCode::NOT_FOUND, format!("no KYC application {kyc_number}")))?;
        application.status = status;
        application.fail_reason = (status == KycStatus::Rejected).then(|| SANDBOX_REJECTION.to_owned());
        Ok(json!(application))
    })();
    request.caller.answer(result)
}

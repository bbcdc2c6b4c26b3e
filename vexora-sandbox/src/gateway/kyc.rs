//! Identity checks (KYC): applications, their review, and the status query.
//!
//! An application starts pending (`0`); the control route moves it to
//! under review, approved or rejected, as the gateway's reviewers would.
//! The result callback's format is not documented, so none is sent: the
//! status query is how a merchant learns the outcome here.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use serde_json::value::RawValue;

use crate::book::applications::{Application, KycStatus};
use crate::gateway::envelope::{data, json_response, Refusal, SandboxCode};
use crate::server::app::{App, Call};
use crate::web::caller::ActionRequest;

/// The reason a rejection gives, so a merchant's handling of it can be tried.
const SANDBOX_REJECTION: &str = "Rejected in the sandbox";

/// `kyc-application`: a pending application for the payer `userId`.
pub(crate) fn apply(app: &App, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let kyc_number = app.state().new_platform_id();
    let application = Application {
        merchant_no: call.merchant_no.to_owned(),
        kyc_number: kyc_number.clone(),
        user_id: call.text("userId").to_owned(),
        status: KycStatus::Pending,
        fail_reason: None,
    };
    let mut applications = app.applications();
    applications.latest.insert((application.merchant_no.clone(), application.user_id.clone()), kyc_number.clone());
    applications.by_number.insert(kyc_number.clone(), application);
    drop(applications);
    data(&json!({
        "kycNumber": kyc_number,
        "authenticationStatus": KycStatus::Pending.code(),
        "message": KycStatus::Pending.message(),
        "authenticationUrl": format!("{}/sandbox/kyc/{kyc_number}", app.public_url),
    }))
}

/// `kyc-status`: by `kycNumber` (an application of this merchant), or by
/// `userId`, whose latest application decides; a payer who never applied
/// is not certified yet (`0`).
pub(crate) fn status(app: &App, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let applications = app.applications();
    let application = match (call.fields.text("kycNumber"), call.fields.text("userId")) {
        (Some(number), _) => {
            let found = applications.by_number.get(number).filter(|found| found.merchant_no == call.merchant_no);
            Some(found.ok_or_else(|| {
                Refusal::new(
                    SandboxCode::OrderNotFound,
                    format!("kycNumber: no application {number} for merchant {}", call.merchant_no),
                )
            })?)
        }
        (None, Some(user_id)) => applications
            .latest
            .get(&(call.merchant_no.to_owned(), user_id.to_owned()))
            .and_then(|number| applications.by_number.get(number)),
        (None, None) => None,
    };
    let status = application.map_or(KycStatus::Pending, |application| application.status);
    let mut answer = json!({ "authenticationStatus": status.code() });
    if let Some(reason) = application.and_then(|application| application.fail_reason.as_deref()) {
        answer["failReason"] = json!(reason);
    }
    data(&answer)
}

/// `GET /sandbox/kyc/{kycNumber}`: one application, as JSON.
pub(crate) async fn show(State(app): State<Arc<App>>, Path(kyc_number): Path<String>) -> Response {
    match app.applications().by_number.get(&kyc_number) {
        Some(application) => json_response(StatusCode::OK, &json!(application)),
        None => json_response(StatusCode::NOT_FOUND, &json!({ "error": format!("no KYC application {kyc_number}") })),
    }
}

/// `POST /sandbox/kyc/{kycNumber}/{review|approve|reject}`: the reviewers'
/// decision; a rejection carries a reason. A decided check can be decided
/// again, as a payer may resubmit documents. Like every action route, it
/// refuses a browser's request from another site.
pub(crate) async fn decide(
    State(app): State<Arc<App>>,
    Path((kyc_number, action)): Path<(String, String)>,
    request: ActionRequest,
) -> Response {
    let result = (|| {
        let status = KycStatus::parse(&action).ok_or_else(|| {
            (StatusCode::NOT_FOUND, format!("unknown action {action:?}: use review, approve or reject"))
        })?;
        let mut applications = app.applications();
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

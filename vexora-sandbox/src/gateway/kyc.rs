//! Identity checks (KYC), the gateway's side: applications and the status
//! query.
//!
//! An application starts pending (`0`); a control route moves it to under
//! review, approved or rejected, as the gateway's reviewers would. The
//! result callback's format is not documented, so none is sent: the status
//! query is how a merchant learns the outcome here.

use serde_json::json;
use serde_json::value::RawValue;

use crate::book::Book;
use crate::book::applications::{Application, KycStatus};
use crate::gateway::call::Call;
use crate::gateway::envelope::{Refusal, SandboxCode, data};

/// `kyc-application`: a pending application for the payer `userId`.
pub(crate) fn apply(book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let kyc_number = book.state().new_platform_id();
    let application = Application {
        merchant_no: call.merchant_no.to_owned(),
        kyc_number: kyc_number.clone(),
        user_id: call.text("userId").to_owned(),
        status: KycStatus::Pending,
        fail_reason: None,
    };
    let mut applications = book.applications();
    applications.latest.insert((application.merchant_no.clone(), application.user_id.clone()), kyc_number.clone());
    applications.by_number.insert(kyc_number.clone(), application);
    drop(applications);
    data(&json!({
        "kycNumber": kyc_number,
        "authenticationStatus": KycStatus::Pending.code(),
        "message": KycStatus::Pending.message(),
        "authenticationUrl": format!("{}/sandbox/kyc/{kyc_number}", call.public_url),
    }))
}

/// `kyc-status`: by `kycNumber` (an application of this merchant), or by
/// `userId`, whose latest application decides; a payer who never applied
/// is not certified yet (`0`).
pub(crate) fn status(book: &Book, call: &Call<'_>) -> Result<Box<RawValue>, Refusal> {
    let applications = book.applications();
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

//! Checking request signatures, with the one primitive shared with the SDK
//! (`vexora::signing`), so the sandbox and the SDK's derive are computed
//! independently of each other.

use vexora::signing::sign_pairs;

use crate::gateway::body::{Fields, Kind};

/// Checks `sign` against the merchant's secret; the error names the problem.
pub(crate) fn verify(fields: &Fields, secret: &str) -> Result<(), String> {
    let Some(received) = fields.present("sign") else {
        return Err("sign: missing".to_owned());
    };
    if received.kind != Kind::String {
        return Err(format!("sign: must be a string, not {}", received.kind.describe()));
    }
    let expected = sign_pairs(fields.signed_pairs(), secret.as_bytes());
    if expected.matches(&received.text) { Ok(()) } else { Err("sign: signature mismatch".to_owned()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(sign: &str) -> Fields {
        let text = format!(r#"{{"tradeNo":"T1","amount":"300","remark":"","note":null,"sign":"{sign}"}}"#);
        Fields::parse(text.as_bytes()).expect("a valid body")
    }

    #[test]
    fn accepts_the_md5_of_the_canonical_string_and_secret() {
        // md5("amount=300tradeNo=T1secret"): "" and null are left out.
        assert_eq!(verify(&body("9afc544e3c2887771321ea09afb998c5"), "secret"), Ok(()));
        assert_eq!(verify(&body("9AFC544E3C2887771321EA09AFB998C5"), "secret"), Ok(()));
    }

    #[test]
    fn names_what_is_wrong() {
        assert_eq!(verify(&body("9afc544e3c2887771321ea09afb998c5"), "other"), Err("sign: signature mismatch".into()));
        assert_eq!(verify(&body(""), "secret"), Err("sign: missing".into()));
        let numeric = Fields::parse(br#"{"sign":5}"#).expect("a valid body");
        assert_eq!(verify(&numeric, "secret"), Err("sign: must be a string, not a number".into()));
    }
}

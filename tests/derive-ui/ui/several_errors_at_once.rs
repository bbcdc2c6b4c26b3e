use vexora::{Endpoint, Signable, Validate};

#[derive(serde::Deserialize)]
struct Data {}

// Seven mistakes (the spec file is not there either), seven errors, the
// struct's first and then in field order; and no "trait not implemented"
// where the struct is used as an endpoint below.
#[derive(Signable, Validate)]
#[vexora(spec = "testland/checkout", response = Data)]
#[non_exhaustive]
struct Request {
    #[vexora(required, max_lenght = 12)]
    amount: String,
    merchant_id: String,
    #[vexora(optional)]
    sign: Option<String>,
    #[vexora(required, pattern = "^\\d+|x$")]
    trade_no: String,
    #[vexora(optional, rename = "trade_no")]
    other_trade_no: Option<String>,
    #[vexora(required_if(channel = "STORE"))]
    postcode: Option<String>,
}

fn send<R: Endpoint>(request: &R) -> String {
    request.validate().map(|()| vexora::signing::request_canonical(request, "1700000000000")).unwrap_or_default()
}

fn main() {
    let request = Request {
        amount: String::new(),
        merchant_id: String::new(),
        sign: None,
        trade_no: String::new(),
        other_trade_no: None,
        postcode: None,
    };
    let _ = send(&request);
    let _ = <Request as Endpoint>::PATH;
}

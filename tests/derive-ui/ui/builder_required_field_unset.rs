// `build` compiles only once every required field is set; each one
// forgotten is named (here `amount` and `notify_url`, not `remark`, which is
// optional).
use vexora::taiwan::PayoutRequest;

fn main() {
    let _ = PayoutRequest::builder()
        .trade_no("PO-1")
        .bank_code("004")
        .bank_number("3560123456789012")
        .mobile("0912345678")
        .email("payee@example.com")
        .name("Lin Mei")
        .build();
}

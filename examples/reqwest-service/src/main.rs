//! A tokio service that keeps a `Client` in its state without naming a
//! backend. With only the `reqwest` feature, as here, `Client` is a reqwest
//! client; with surf on, the same code builds a surf one.
//!
//! Starts a sandbox in process, creates a checkout, queries it:
//!
//! ```sh
//! cargo run -p vexora-example-reqwest
//! ```

use vexora::client::DefaultTransport;
use vexora::taiwan::{ChannelCode, CheckoutRequest, PayInQueryRequest, WayCode};
use vexora::types::{Amount, TradeNo};
use vexora::{Client, Config};
use vexora_sandbox::{Sandbox, SandboxConfig, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

/// What a request handler would share: the client, whatever its backend.
struct AppState {
    client: Client,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let sandbox = Sandbox::start(SandboxConfig::default()).await?;
        let config = Config::builder()
            .merchant_no(TEST_MERCHANT_NO)
            .app_secret(TEST_MERCHANT_SECRET)
            .base_url(sandbox.base_url("taiwan"))
            .build()?;
        let state = AppState { client: Client::try_new(config)? };
        println!("backend: {}", std::any::type_name::<DefaultTransport>());

        let order = state
            .client
            .send(
                &CheckoutRequest::builder()
                    .trade_no(TradeNo::generate())
                    .amount(Amount::new(300))
                    .mobile("0912345678")
                    .firstname("Mei")
                    .lastname("Lin")
                    .email("mei.lin@example.com")
                    .channel_code(ChannelCode::Ewallet)
                    .way_code(WayCode::new("LINE_PAY"))
                    .ip_address("203.0.113.7")
                    .notify_url("https://merchant.example.com/vexora/notify")
                    .return_url("https://merchant.example.com/done")
                    .build(),
            )
            .await?;
        println!("checkout {}: status {}, pay at {:?}", order.trade_no, order.status, order.payment_url());
        let result = state.client.send(&PayInQueryRequest::new(order.trade_no.clone())).await?;
        println!("query {}: status {}", result.trade_no, result.status);
        Ok(())
    })
}

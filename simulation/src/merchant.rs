//! The merchant: records each intent, sends it through the resolving
//! create, settles what it learns, and may be killed at a failpoint on the
//! way; on restart it sends again, with the same `tradeNo`, what the
//! reconciler found the gateway never made.

use std::collections::BTreeMap;
use std::time::Duration;

use vexora::resolve::{Resolution, ResolvePolicy};
use vexora::retry::RetryPolicy;
use vexora::types::{Amount, DecimalAmount, TradeNo};
use vexora::{Client, Config, taiwan, thailand};
use vexora_ledger::{Intent, Kind, Ledger, Observation, RecordKeys};

use crate::decide::Decider;
use crate::network::FaultyNetwork;
use crate::plan::{CheckoutPlan, PayoutPlan, Plan, Region};
use crate::trace::Trace;
use crate::{MERCHANT_NO, MERCHANT_SECRET, gateway::InProcessGateway};

/// The SDK's client for one region, over the faulty network.
pub type SimClient = Client<FaultyNetwork<InProcessGateway>>;

/// Where a create's flow stops when the merchant's process is killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failpoint {
    /// After the intent was recorded, before anything was sent.
    BeforeSending,
    /// After the gateway answered (or not), before the answer was recorded.
    BeforeRecording,
}

/// A request the merchant keeps in its own tables, to send again.
#[derive(Debug, Clone)]
pub enum Request {
    /// A Taiwan checkout.
    TaiwanCheckout(taiwan::CheckoutRequest),
    /// A Thailand checkout.
    ThailandCheckout(thailand::CheckoutRequest),
    /// A Taiwan payout.
    Payout(taiwan::PayoutRequest),
}

/// The merchant of one run.
pub struct Merchant {
    pub(crate) ledger: Ledger,
    pub(crate) taiwan: SimClient,
    pub(crate) thailand: SimClient,
    pub(crate) policy: ResolvePolicy,
    pub(crate) decider: Decider,
    pub(crate) killed_percent: u8,
    pub(crate) trace: Trace,
    /// Each intent's requests by `tradeNo`, as the merchant's own tables
    /// hold them: intent `C3` is the fourth checkout.
    pub(crate) requests: BTreeMap<String, (String, Request)>,
    /// Answers the merchant records late (a slow process): after the payers
    /// paid and their notifications came.
    pub(crate) late: Vec<Observation>,
}

/// The client configuration for `region` of the sandbox at `base_url`.
pub fn config(base_url: &str) -> Config {
    Config::builder()
        .merchant_no(MERCHANT_NO)
        .app_secret(MERCHANT_SECRET)
        .base_url(base_url)
        .timeout(Duration::from_secs(10))
        .order_not_found_code("9008")
        .duplicate_trade_no_code("9005")
        // Retries without jittered waits: the jitter is drawn from the
        // operating system, which no seed replays.
        .retry(RetryPolicy { max_attempts: 3, initial_backoff: Duration::ZERO, max_backoff: Duration::ZERO })
        .build()
        .expect("the simulation's configuration is valid")
}

/// The `tradeNo` of intent `intent` in the run of `seed`.
pub fn trade_no(seed: u64, intent: &str) -> String {
    format!("S{seed:x}{intent}")
}

/// The `notifyUrl` of a kind of notification, naming the intent so that
/// the gateway's records can be counted per intent.
fn notify_url(kind: &str, intent: &str) -> String {
    format!("http://merchant.sim/vexora/{kind}?intent={intent}")
}

impl Merchant {
    /// Makes checkout `n` of `plan`.
    pub async fn checkout(&mut self, plan: &Plan, n: usize, checkout: &CheckoutPlan) {
        let intent = format!("C{n}");
        let trade_no = trade_no(plan.seed, &intent);
        let request = match checkout.region {
            Region::Taiwan => Request::TaiwanCheckout(
                taiwan::CheckoutRequest::builder()
                    .trade_no(trade_no.as_str())
                    .amount(Amount::new(checkout.amount))
                    .mobile("0912345678")
                    .firstname("Mei")
                    .lastname("Lin")
                    .email("mei.lin@example.com")
                    .channel_code(taiwan::ChannelCode::Ewallet)
                    .way_code(taiwan::WayCode::new("LINE_PAY"))
                    .ip_address(format!("10.0.{}.{}", n / 200, 1 + n % 200))
                    .notify_url(notify_url("pay-in", &intent))
                    .return_url("https://merchant.sim/done")
                    .build(),
            ),
            Region::Thailand => {
                let baht = format!("{}.{:02}", checkout.amount / 100, checkout.amount % 100);
                Request::ThailandCheckout(
                    thailand::CheckoutRequest::builder()
                        .trade_no(trade_no.as_str())
                        .amount(DecimalAmount::parse(&baht).expect("two decimals"))
                        .mobile("912345678")
                        .name("Somchai Jaidee")
                        .email("somchai@example.com")
                        .channel_code("QR")
                        .way_code("QR")
                        .notify_url(notify_url("pay-in", &intent))
                        .return_url("https://merchant.sim/done")
                        .build(),
                )
            }
        };
        self.requests.insert(trade_no, (intent, request.clone()));
        self.send(&request, true).await;
    }

    /// Makes payout `n` of `plan`.
    pub async fn payout(&mut self, plan: &Plan, n: usize, payout: &PayoutPlan) {
        let intent = format!("P{n}");
        let trade_no = trade_no(plan.seed, &intent);
        let request = Request::Payout(
            taiwan::PayoutRequest::builder()
                .trade_no(trade_no.as_str())
                .amount(Amount::new(payout.amount))
                .bank_code("004")
                .bank_number(["3560123456789012", "3560987654321098"][usize::from(payout.beneficiary)])
                .mobile("0912345678")
                .email("payee@example.com")
                .name(["Lin Mei", "Chen Wei"][usize::from(payout.beneficiary)])
                .notify_url(notify_url("payout", &intent))
                .build(),
        );
        self.requests.insert(trade_no, (intent, request.clone()));
        self.send(&request, true).await;
    }

    /// Sends `trade_no`'s request again, as the merchant's restart logic
    /// does for what the gateway never made.
    pub async fn send_again(&mut self, trade_no: &str) {
        if let Some((_, request)) = self.requests.get(trade_no).cloned() {
            self.trace.note("merchant", format!("{trade_no}: sent again after a restart"));
            self.send(&request, false).await;
        }
    }

    /// Records the intent, creates, settles the answer; with `may_die`, the
    /// process may be killed at a failpoint on the way.
    async fn send(&mut self, request: &Request, may_die: bool) {
        let (keys, intent) = match request {
            Request::TaiwanCheckout(r) => (key(&r.trade_no), Intent::of(Kind::PayIn, MERCHANT_NO, r)),
            Request::ThailandCheckout(r) => (key(&r.trade_no), Intent::of(Kind::PayIn, MERCHANT_NO, r)),
            Request::Payout(r) => (key(&r.trade_no), Intent::of(Kind::Payout, MERCHANT_NO, r)),
        };
        let trade_no = keys.get("tradeNo").unwrap_or_default().to_owned();
        let intent = intent.expect("the simulation's requests carry a tradeNo and an amount");
        if let Err(error) = self.ledger.record_intent(&intent).await {
            self.trace.note("merchant", format!("{trade_no}: the intent could not be recorded: {error}"));
            return;
        }
        if may_die && self.dies(&trade_no, Failpoint::BeforeSending) {
            return;
        }
        let observation = match request {
            Request::TaiwanCheckout(r) => observe_pay_in(self.taiwan.create_with(r, self.policy).await, &keys),
            Request::ThailandCheckout(r) => observe_pay_in(self.thailand.create_with(r, self.policy).await, &keys),
            Request::Payout(r) => observe_payout(self.taiwan.create_with(r, self.policy).await, &keys),
        };
        self.trace.note("merchant", format!("{trade_no}: {}", observation.1));
        if may_die && self.dies(&trade_no, Failpoint::BeforeRecording) {
            return;
        }
        let Some(observation) = observation.0 else { return };
        if may_die && self.decider.strikes("recorded-late", &trade_no, 0, self.killed_percent) {
            self.trace.note("merchant", format!("{trade_no}: the answer will be recorded late"));
            self.late.push(observation);
            return;
        }
        self.record(&trade_no, &observation).await;
    }

    /// Records the answers it was slow to record.
    pub async fn record_late(&mut self) {
        for observation in std::mem::take(&mut self.late) {
            let trade_no = observation.keys().get("tradeNo").unwrap_or_default().to_owned();
            self.trace.note("merchant", format!("{trade_no}: the answer recorded late"));
            self.record(&trade_no, &observation).await;
        }
    }

    async fn record(&self, trade_no: &str, observation: &Observation) {
        if let Err(error) = self.ledger.settle(observation).await {
            self.trace.note("merchant", format!("{trade_no}: the answer could not be settled: {error}"));
        }
    }

    fn dies(&self, trade_no: &str, at: Failpoint) -> bool {
        let dies = self.decider.strikes(&format!("killed {at:?}"), trade_no, 0, self.killed_percent / 2);
        if dies {
            self.trace.note("merchant", format!("{trade_no}: killed {at:?}"));
        }
        dies
    }
}

fn key(trade_no: &TradeNo) -> RecordKeys {
    RecordKeys::trade_no(trade_no.as_str())
}

/// What the books learn from a checkout's resolution, and a line for the
/// trace.
fn observe_pay_in(
    resolved: Result<Resolution<vexora::data::CheckoutData, vexora::data::PayInResult>, vexora::Error>,
    keys: &RecordKeys,
) -> (Option<Observation>, String) {
    match resolved {
        Ok(Resolution::Created(order)) => (Some(Observation::checkout_answer(&order)), "created".to_owned()),
        Ok(Resolution::FoundExisting(found)) => (Observation::pay_in_query(&found).ok(), "found existing".to_owned()),
        Ok(Resolution::Refused { code, .. }) => {
            (Some(Observation::refused(Kind::PayIn, keys.clone(), code.clone())), format!("refused {code}"))
        }
        Ok(other) => (Some(Observation::outcome_unknown(Kind::PayIn, keys.clone())), format!("{other:?}")),
        Err(error) => (Some(Observation::outcome_unknown(Kind::PayIn, keys.clone())), format!("error: {error}")),
    }
}

fn observe_payout(
    resolved: Result<Resolution<vexora::data::PayoutData, vexora::data::PayoutResult>, vexora::Error>,
    keys: &RecordKeys,
) -> (Option<Observation>, String) {
    match resolved {
        Ok(Resolution::Created(accepted)) => (Some(Observation::payout_answer(&accepted)), "created".to_owned()),
        Ok(Resolution::FoundExisting(found)) => (Observation::payout_query(&found).ok(), "found existing".to_owned()),
        Ok(Resolution::Refused { code, .. }) => {
            (Some(Observation::refused(Kind::Payout, keys.clone(), code.clone())), format!("refused {code}"))
        }
        Ok(other) => (Some(Observation::outcome_unknown(Kind::Payout, keys.clone())), format!("{other:?}")),
        Err(error) => (Some(Observation::outcome_unknown(Kind::Payout, keys.clone())), format!("error: {error}")),
    }
}

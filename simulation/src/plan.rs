//! What one run does, drawn from its seed alone: the merchant's work and
//! how often each fault strikes.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A region the merchant sells in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Taiwan: whole-dollar amounts.
    Taiwan,
    /// Thailand: baht with up to two decimals.
    Thailand,
}

/// How a checkout's payer behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payment {
    /// Pays the whole amount.
    Full,
    /// Pays part of it, and never the rest.
    Part,
    /// The payment fails.
    Failed,
    /// Never pays.
    Never,
}

/// One checkout the merchant means to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutPlan {
    /// Where.
    pub region: Region,
    /// In the region's smallest whole unit (dollars, or satang for
    /// Thailand, so 30_050 is 300.50 baht).
    pub amount: u64,
    /// What the payer does.
    pub payment: Payment,
}

/// One payout the merchant means to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutPlan {
    /// Whole dollars (Taiwan).
    pub amount: u64,
    /// Which of a few beneficiaries: payouts to one, of one amount, must
    /// still be told apart by their `tradeNo`.
    pub beneficiary: u8,
    /// Whether the bank pays it.
    pub succeeds: bool,
}

/// How often each fault strikes, in percent of the places it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultRates {
    /// A connection refused before anything was sent.
    pub refused: u8,
    /// The gateway acted, and its answer was lost.
    pub answer_lost: u8,
    /// The exchange stalled past the call's deadline (the gateway acted).
    pub stalled: u8,
    /// A 5xx: from the gateway after it acted, or from a proxy before.
    pub server_error: u8,
    /// A proxy's 3xx or 4xx page instead of the gateway's answer.
    pub proxy_page: u8,
    /// An order or payout shows to queries only some time after it was made.
    pub slow_to_show: u8,
    /// A notification delivery that never arrives.
    pub notification_lost: u8,
    /// A notification delivered twice.
    pub notification_twice: u8,
    /// A receiver down when a notification comes.
    pub receiver_down: u8,
    /// The merchant's process killed at a failpoint.
    pub killed: u8,
    /// A notification attempt held up on the way: the gateway gives up on
    /// it, and it reaches a receiver after one or two later attempts of
    /// the same notification.
    pub held_back: u8,
}

/// One run's work and faults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The seed it was drawn from.
    pub seed: u64,
    /// Checkouts, in the order the merchant makes them.
    pub checkouts: Vec<CheckoutPlan>,
    /// Payouts, in the order the merchant makes them.
    pub payouts: Vec<PayoutPlan>,
    /// How often each fault strikes.
    pub faults: FaultRates,
}

impl Plan {
    /// The plan of `seed`: the same seed, the same plan, on every machine.
    pub fn of(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let checkouts = (0..rng.gen_range(4..=12))
            .map(|_| {
                let region = if rng.gen_bool(0.5) { Region::Taiwan } else { Region::Thailand };
                let amount = match region {
                    Region::Taiwan => rng.gen_range(100..=5_000),
                    Region::Thailand => rng.gen_range(1_000..=500_000),
                };
                let payment = match rng.gen_range(0..10) {
                    0..=4 => Payment::Full,
                    5..=6 => Payment::Part,
                    7..=8 => Payment::Failed,
                    _ => Payment::Never,
                };
                CheckoutPlan { region, amount, payment }
            })
            .collect();
        // Few amounts and beneficiaries, so that look-alike payouts occur.
        let payouts = (0..rng.gen_range(1..=6))
            .map(|_| PayoutPlan {
                amount: [300, 500, 1_200][rng.gen_range(0..3)],
                beneficiary: rng.gen_range(0..2),
                succeeds: rng.gen_bool(0.75),
            })
            .collect();
        let mut rate = |most: u8| rng.gen_range(0..=most);
        let faults = FaultRates {
            refused: rate(15),
            answer_lost: rate(30),
            stalled: rate(15),
            server_error: rate(15),
            proxy_page: rate(10),
            slow_to_show: rate(40),
            notification_lost: rate(40),
            notification_twice: rate(30),
            receiver_down: rate(20),
            killed: rate(15),
            // Drawn last, so the rates above are what they were before it.
            held_back: rate(30),
        };
        Self { seed, checkouts, payouts, faults }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_always_gives_the_same_plan_and_seeds_differ() {
        assert_eq!(Plan::of(7), Plan::of(7));
        assert_ne!(Plan::of(7), Plan::of(8));
    }

    #[test]
    fn plans_cover_every_kind_of_work() {
        let plans: Vec<Plan> = (0..200).map(Plan::of).collect();
        let checkouts = || plans.iter().flat_map(|plan| &plan.checkouts);
        for payment in [Payment::Full, Payment::Part, Payment::Failed, Payment::Never] {
            assert!(checkouts().any(|checkout| checkout.payment == payment), "{payment:?}");
        }
        for region in [Region::Taiwan, Region::Thailand] {
            assert!(checkouts().any(|checkout| checkout.region == region), "{region:?}");
        }
        let look_alike = plans.iter().any(|plan| {
            plan.payouts.iter().enumerate().any(|(i, a)| {
                plan.payouts[i + 1..].iter().any(|b| (a.amount, a.beneficiary) == (b.amount, b.beneficiary))
            })
        });
        assert!(look_alike, "some plan pays one beneficiary one amount twice");
    }
}

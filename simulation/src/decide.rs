//! Whether a fault strikes, decided by what it would hit: the run's seed,
//! the fault, the record's key and the attempt. Never by the order things
//! happen in, so a replay decides the same whatever the scheduler does.

/// The decisions of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decider {
    seed: u64,
}

impl Decider {
    /// The decisions of the run of `seed`.
    pub fn new(seed: u64) -> Self {
        Self { seed }
    }

    /// Whether `fault` strikes `attempt` at `key` (e.g. a `tradeNo`), when
    /// it strikes `percent` % of the places it can.
    pub fn strikes(&self, fault: &str, key: &str, attempt: u32, percent: u8) -> bool {
        self.draw(fault, key, attempt) % 100 < u64::from(percent)
    }

    /// A number in `0..n` for `attempt` at `key`, to choose among `n` ways
    /// a fault can strike.
    pub fn pick(&self, what: &str, key: &str, attempt: u32, n: u64) -> u64 {
        self.draw(what, key, attempt) % n.max(1)
    }

    /// 64 bits from the seed and the place: FNV-1a over the parts, then the
    /// SplitMix64 finaliser to spread them. Both are fixed algorithms, so a
    /// seed replays the same on every toolchain.
    fn draw(&self, what: &str, key: &str, attempt: u32) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let parts: [&[u8]; 5] =
            [&self.seed.to_le_bytes(), what.as_bytes(), &[0], key.as_bytes(), &attempt.to_le_bytes()];
        for byte in parts.iter().flat_map(|part| part.iter()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        let mut mixed = hash.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        mixed ^ (mixed >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_depends_on_the_place_alone() {
        let decider = Decider::new(42);
        let first: Vec<bool> = (0..64).map(|n| decider.strikes("lost", &format!("T{n}"), 1, 30)).collect();
        // Asked again, in another order: the same answers.
        let again: Vec<bool> = (0..64).rev().map(|n| decider.strikes("lost", &format!("T{n}"), 1, 30)).collect();
        assert_eq!(first, again.into_iter().rev().collect::<Vec<_>>());
        assert_ne!(
            first,
            (0..64).map(|n| Decider::new(43).strikes("lost", &format!("T{n}"), 1, 30)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn rates_are_kept_and_the_bounds_hold() {
        let decider = Decider::new(1);
        let struck = (0..10_000).filter(|n| decider.strikes("x", &n.to_string(), 0, 30)).count();
        assert!((2_700..3_300).contains(&struck), "{struck} of 10,000 at 30 %");
        assert!((0..1_000).all(|n| !decider.strikes("x", &n.to_string(), 0, 0)));
        assert!((0..1_000).all(|n| decider.strikes("x", &n.to_string(), 0, 100)));
        assert!((0..1_000).all(|n| decider.pick("x", &n.to_string(), 0, 3) < 3));
    }
}

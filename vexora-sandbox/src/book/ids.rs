//! Where the gateway's ids (`platFormTradeNo`, `kycNumber`) come from: at
//! random, as a real gateway's cannot be guessed, or from a seed, so a
//! seeded run repeats its ids exactly.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

/// Where new `platFormTradeNo`s come from.
#[derive(Debug, Clone)]
pub(crate) enum PlatformIds {
    /// Keys drawn at random for each sandbox: ids no one can guess.
    Random(RandomState),
    /// Drawn from a seed: the same ids in the same order every run.
    Seeded(u64),
}

impl Default for PlatformIds {
    fn default() -> Self {
        Self::Random(RandomState::new())
    }
}

impl PlatformIds {
    /// The `sequence`-th id: 16 characters of `[0-9a-z]`, like the gateway's.
    pub(crate) fn id(&self, sequence: u64) -> String {
        let high = u128::from(self.draw(sequence, 0));
        let low = u128::from(self.draw(sequence, 1));
        let mut number = (high << 64) | low;
        let mut id = String::with_capacity(16);
        for _ in 0..16 {
            let digit = u32::try_from(number % 36).unwrap_or(0);
            id.push(char::from_digit(digit, 36).unwrap_or('0'));
            number /= 36;
        }
        id
    }

    /// 64 bits for the `sequence`-th id, `lane` 0 or 1.
    fn draw(&self, sequence: u64, lane: u8) -> u64 {
        match self {
            Self::Random(keys) => keys.hash_one((sequence, lane)),
            // splitmix64's finaliser: stable across builds and platforms,
            // unlike std's hasher, so a seed names the same ids everywhere.
            Self::Seeded(seed) => mix(*seed ^ mix(sequence.wrapping_mul(2).wrapping_add(u64::from(lane)))),
        }
    }
}

fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

//! When a new order, payout or spec-served record becomes visible to
//! queries: at once, or after a delay decided by what it is. A gateway that answers a create
//! before it has finished making the record is one a merchant's "not found"
//! must not be trusted against; a simulation decides which records are
//! slow by their `tradeNo`, so the same seed hides the same ones whatever
//! order requests arrive in.

use std::sync::Arc;

/// Decides, from a record's kind (`"order"`, for checkouts and deposits,
/// `"payout"`, or the kind name of a spec-served create, such as
/// `"refund"`) and its `tradeNo` (for a record without one, its keys'
/// values joined with `/`), how many milliseconds of the sandbox
/// clock it stays hidden from queries after it is made (`None` or 0: not
/// at all). Called once for each create request that passes judging,
/// before the record is made, refused ones included; it should depend on
/// its arguments only.
pub type VisibilityDelay = Arc<dyn Fn(&str, &str) -> Option<u64> + Send + Sync>;

/// How long a record stays hidden: the longer of the hook's delay and a
/// request's `visible_after_ms` fault (`fault_ms`).
pub(crate) fn hidden_for_ms(delay: Option<&VisibilityDelay>, kind: &str, trade_no: &str, fault_ms: i64) -> i64 {
    let decided = delay.and_then(|delay| delay(kind, trade_no)).unwrap_or(0);
    fault_ms.max(i64::try_from(decided).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longer_of_the_hook_and_the_fault() {
        let delay: VisibilityDelay = Arc::new(|kind, trade_no| (kind == "order" && trade_no == "T1").then_some(500));
        assert_eq!(hidden_for_ms(Some(&delay), "order", "T1", 0), 500);
        assert_eq!(hidden_for_ms(Some(&delay), "order", "T1", 900), 900);
        assert_eq!(hidden_for_ms(Some(&delay), "payout", "T1", 0), 0);
        assert_eq!(hidden_for_ms(None, "order", "T1", 7), 7);
        let huge: VisibilityDelay = Arc::new(|_, _| Some(u64::MAX));
        assert_eq!(hidden_for_ms(Some(&huge), "order", "T1", 0), i64::MAX);
    }
}

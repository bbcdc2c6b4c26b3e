//! The Gregorian calendar the gateway's local times are written in: a day
//! number (days since 1970-01-01) as a year, a month and a day. The
//! sandbox's own, so that the dates it writes judge the SDK's rather than
//! repeat them.
//!
//! Years are counted from 1 March, so that a leap day is always the last
//! day of its year; from 2000-03-01 on, the calendar repeats every 400 such
//! years (146,097 days), made of three centuries of 36,524 days and a last
//! one of 36,525, each of four-year runs of 1,461 days (the last run of a
//! century one day shorter, but for the cycle's last century).

/// Days in 400 years, in 100 years without a leap century, in 4 years with
/// a leap day, and in a common year.
const DAYS_IN_400_YEARS: i64 = 146_097;
const DAYS_IN_100_YEARS: i64 = 36_524;
const DAYS_IN_4_YEARS: i64 = 1_461;
const DAYS_IN_YEAR: i64 = 365;
/// 2000-03-01 as days since 1970-01-01: a 400-year cycle starts there.
const CYCLE_START: i64 = 11_017;
/// The months of a year counted from March: March to February (with its
/// leap day; the days of a common year run out before it).
const MONTH_LENGTHS: [i64; 12] = [31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 29];

/// A day of the gateway's local calendar, as days since 1970-01-01: what
/// the payers' daily limits and the settlement (T+1) count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct LocalDay(pub(crate) i64);

/// A day of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date {
    pub(crate) year: i64,
    /// 1 to 12.
    pub(crate) month: u32,
    /// 1 to 31.
    pub(crate) day: u32,
}

impl Date {
    /// The date `days` days after 1970-01-01 (before it when negative).
    pub(crate) fn from_days(days: i64) -> Self {
        let since = days.saturating_sub(CYCLE_START);
        let cycles = since.div_euclid(DAYS_IN_400_YEARS);
        let mut rest = since.rem_euclid(DAYS_IN_400_YEARS);
        // Only the cycle's last century has 36,525 days: its last day would
        // count as a fourth full century otherwise.
        let centuries = (rest / DAYS_IN_100_YEARS).min(3);
        rest -= centuries * DAYS_IN_100_YEARS;
        let runs = rest / DAYS_IN_4_YEARS;
        rest -= runs * DAYS_IN_4_YEARS;
        // Likewise a run's leap day, the last day of its fourth year.
        let years = (rest / DAYS_IN_YEAR).min(3);
        rest -= years * DAYS_IN_YEAR;
        let mut month_index = 0;
        for length in MONTH_LENGTHS {
            if rest < length {
                break;
            }
            rest -= length;
            month_index += 1;
        }
        // January and February end the year that started the March before.
        let year = 2000 + 400 * cycles + 100 * centuries + 4 * runs + years + i64::from(month_index >= 10);
        // Both in range: `month_index` is below 12 and `rest` below 31.
        let month = u32::try_from((month_index + 2) % 12 + 1).unwrap_or(1);
        let day = u32::try_from(rest + 1).unwrap_or(1);
        Self { year, month, day }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i64, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// The leap rule, as the calendar states it.
    fn days_in_month(year: i64, month: u32) -> u32 {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    #[test]
    fn known_days() {
        for (days, expected) in [
            (0, date(1970, 1, 1)),
            (-1, date(1969, 12, 31)),
            (11_016, date(2000, 2, 29)),
            (11_017, date(2000, 3, 1)),
            (20_783, date(2026, 11, 26)),
            (47_540, date(2100, 2, 28)),
            (47_541, date(2100, 3, 1)),
            (157_113, date(2400, 2, 29)),
            (-25_509, date(1900, 2, 28)),
            (-25_508, date(1900, 3, 1)),
            (-135_081, date(1600, 2, 29)),
            (-719_162, date(1, 1, 1)),
            (2_932_896, date(9999, 12, 31)),
        ] {
            assert_eq!(Date::from_days(days), expected, "day {days}");
        }
    }

    /// Every day of about 5,500 years follows the one before it: the next
    /// day of its month, or the first of the next month once the month is
    /// full, by the leap rule.
    #[test]
    fn each_day_follows_the_one_before() {
        let mut previous = Date::from_days(-1_000_001);
        for days in -1_000_000..=1_000_000 {
            let today = Date::from_days(days);
            let expected = if previous.day < days_in_month(previous.year, previous.month) {
                Date { day: previous.day + 1, ..previous }
            } else if previous.month < 12 {
                date(previous.year, previous.month + 1, 1)
            } else {
                date(previous.year + 1, 1, 1)
            };
            assert_eq!(today, expected, "day {days}");
            previous = today;
        }
    }

    #[test]
    fn any_day_number_is_a_date() {
        for days in [i64::MIN, i64::MIN + 1, -1_000_000_000_000, 1_000_000_000_000, i64::MAX] {
            let date = Date::from_days(days);
            assert!((1..=12).contains(&date.month) && (1..=31).contains(&date.day), "{date:?}");
        }
    }
}

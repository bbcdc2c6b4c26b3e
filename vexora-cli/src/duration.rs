//! Durations as people type them: `90`, `90s`, `15m`, `3h`, `1d`, `1h30m`.

/// The whole seconds in `text`: a bare number is seconds; anything else is
/// read by humantime (`90s`, `15min`, `3h`, `1d`, `1h 30m`).
pub fn seconds(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(seconds);
    }
    humantime::parse_duration(text)
        .map(|duration| duration.as_secs())
        .map_err(|error| format!("{text:?} is not a duration ({error}): use e.g. 3600, 90s, 15m, 3h, 1d or 1h30m"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_and_units() {
        for (text, expected) in [
            ("3600", 3600),
            ("90s", 90),
            ("15m", 900),
            ("15min", 900),
            ("3h", 10_800),
            ("1d", 86_400),
            ("1h30m", 5400),
            ("1h 30m", 5400),
        ] {
            assert_eq!(seconds(text), Ok(expected), "{text}");
        }
        for text in ["", "h", "1x", "-1", "99999999999999999999d"] {
            let error = seconds(text).expect_err(text);
            assert!(error.contains("is not a duration"), "{error}");
        }
    }
}

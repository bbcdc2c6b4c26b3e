//! Durations as people type them: `90`, `90s`, `15m`, `3h`, `1d`, `1h30m`.

/// The seconds in `text`: whole numbers, each followed by a unit (`s`,
/// `m`/`min`, `h`, `d`); a bare number is seconds.
pub fn seconds(text: &str) -> Result<u64, String> {
    let invalid = || format!("{text:?} is not a duration: use e.g. 3600, 90s, 15m, 3h, 1d or 1h30m");
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid());
    }
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(seconds);
    }
    let mut total = 0u64;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let number: u64 = rest[..digits].parse().map_err(|_| invalid())?;
        rest = &rest[digits..];
        let letters = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit = match &rest[..letters] {
            "s" => 1,
            "m" | "min" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(invalid()),
        };
        rest = &rest[letters..];
        total = number.checked_mul(unit).and_then(|part| total.checked_add(part)).ok_or_else(invalid)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_and_units() {
        for (text, expected) in
            [("3600", 3600), ("90s", 90), ("15m", 900), ("15min", 900), ("3h", 10_800), ("1d", 86_400), ("1h30m", 5400)]
        {
            assert_eq!(seconds(text), Ok(expected), "{text}");
        }
        for text in ["", "h", "1x", "1.5h", "-1", "1h 30m", "99999999999999999999d"] {
            assert!(seconds(text).is_err(), "{text}");
        }
    }
}

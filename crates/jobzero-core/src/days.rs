//! Dates as days since 1970-01-01, without a calendar crate: advisory ages, review weeks.

/// Days since 1970-01-01 of the proleptic Gregorian date `y-m-d` (Howard Hinnant's
/// days-from-civil algorithm).
pub fn from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 of a timestamp starting `YYYY-MM-DD`.
pub fn from_iso(ts: &str) -> Option<i64> {
    let y: i64 = ts.get(0..4)?.parse().ok()?;
    let m: i64 = ts.get(5..7)?.parse().ok()?;
    let d: i64 = ts.get(8..10)?.parse().ok()?;
    Some(from_civil(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(from_civil(1970, 1, 1), 0);
        assert_eq!(from_civil(2000, 3, 1), 11_017);
        assert_eq!(from_iso("2026-12-07T17:21:06Z"), Some(20_794));
        assert_eq!(from_iso("2024-10-10T17:22:00.587279Z"), Some(20_006));
        assert_eq!(from_iso("2026-1"), None);
        assert_eq!(from_iso("bad"), None);
    }
}

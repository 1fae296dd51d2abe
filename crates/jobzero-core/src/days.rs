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

/// The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's
/// civil-from-days).
pub fn to_civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DDThh:mm:ss` (UTC, no zone suffix) of seconds since the Unix epoch.
pub fn utc_timestamp(seconds: i64) -> String {
    let (y, m, d) = to_civil(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
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

    #[test]
    fn civil_round_trips() {
        for days in [-1, 0, 59, 60, 11_017, 20_794, 2_932_896] {
            let (y, m, d) = to_civil(days);
            assert_eq!(from_civil(y, m, d), days);
        }
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00");
        assert_eq!(utc_timestamp(1_796_685_666), "2026-12-07T23:21:06");
    }
}

//! ISO weeks and UTC dates, without a calendar crate: the review's weeks and the dates every
//! page shows.

use serde::{Deserialize, Serialize};

use crate::error::HubError;

/// Seconds in a week.
pub(crate) const WEEK: i64 = 7 * 86_400;

/// An ISO week: `2026-W48`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IsoWeek {
    /// ISO week-numbering year.
    pub year: i32,
    /// Week, 1 to 53.
    pub week: u32,
}

/// Monday = 0.
fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

fn year_of(days: i64) -> i64 {
    jobzero_core::days::to_civil(days).0
}

impl IsoWeek {
    /// Parses `YYYY-Www`.
    pub fn parse(text: &str) -> Result<IsoWeek, HubError> {
        let bad = || HubError::BadRequest(format!("`{text}` is not an ISO week like 2026-W48"));
        let (y, w) = text.trim().split_once("-W").ok_or_else(bad)?;
        let week = IsoWeek {
            year: y.parse().map_err(|_| bad())?,
            week: w.parse().map_err(|_| bad())?,
        };
        if week.week == 0 || week.week > 53 || IsoWeek::containing(week.start()) != week {
            return Err(bad());
        }
        Ok(week)
    }

    /// Monday 00:00 UTC of week 1 of `year`.
    fn week_one(year: i64) -> i64 {
        let jan4 = jobzero_core::days::from_civil(year, 1, 4);
        (jan4 - weekday(jan4)) * 86_400
    }

    /// The week containing a time.
    pub fn containing(t: i64) -> IsoWeek {
        let days = t.div_euclid(86_400);
        let thursday = days - weekday(days) + 3;
        let year = year_of(thursday);
        let week = (thursday * 86_400 - IsoWeek::week_one(year)) / WEEK + 1;
        IsoWeek {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            week: u32::try_from(week).unwrap_or(1),
        }
    }

    /// Monday 00:00 UTC.
    pub fn start(self) -> i64 {
        IsoWeek::week_one(i64::from(self.year)) + (i64::from(self.week) - 1) * WEEK
    }

    /// The next Monday 00:00 UTC (exclusive end).
    pub fn end(self) -> i64 {
        self.start() + WEEK
    }

    /// The week before.
    pub fn previous(self) -> IsoWeek {
        IsoWeek::containing(self.start() - 1)
    }
}

impl std::fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
pub fn date(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let y = year_of(days);
    let mut m = 1;
    while m < 12 && jobzero_core::days::from_civil(y, m + 1, 1) <= days {
        m += 1;
    }
    let d = days - jobzero_core::days::from_civil(y, m, 1) + 1;
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use super::*;

    #[test]
    fn iso_weeks() {
        // 2026-01-01 is a Thursday: week 1 starts Monday 2025-12-29.
        let w = IsoWeek::parse("2026-W01").unwrap();
        assert_eq!(date(w.start()), "2025-12-29");
        assert_eq!(IsoWeek::containing(w.start() + 86_400 * 6 + 3_600), w);
        assert_eq!(IsoWeek::parse("2026-W48").unwrap().to_string(), "2026-W48");
        assert_eq!(
            date(IsoWeek::parse("2026-W48").unwrap().start()),
            "2026-11-23"
        );
        assert_eq!(
            IsoWeek::parse("2020-W53").unwrap().previous().to_string(),
            "2020-W52"
        );
        assert_eq!(
            IsoWeek::parse("2021-W01").unwrap().previous().to_string(),
            "2020-W53"
        );
        assert!(IsoWeek::parse("2021-W53").is_err());
        assert!(IsoWeek::parse("2021-48").is_err());
    }
}

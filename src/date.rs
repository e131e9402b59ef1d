//! Calendar dates as people write them in runbooks ("Last Updated: November 20, 2025"),
//! as days since 1970-01-01, so ages and deadlines are plain subtraction.

use std::sync::LazyLock;

use regex::Regex;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// 1-12.
    pub month: u32,
    /// 1-31.
    pub day: u32,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.len() < 3 {
        return None;
    }
    // "Sept" is common besides "Sep".
    let name = if name == "sept" {
        "sep".to_string()
    } else {
        name
    };
    MONTHS
        .iter()
        .position(|m| m.starts_with(&name) && (name.len() == 3 || *m == name))
        .map(|i| i as u32 + 1)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1900..=2200).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (the `--today` flag and config key).
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today (UTC) from the system clock.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days(seconds.div_euclid(86_400))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date found in text: the date, whether only year and month were given, and its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    /// The date; the 1st of the month when `month_only`.
    pub date: Date,
    /// `2025-10` or `October 2025`.
    pub month_only: bool,
    /// Byte range in the searched text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

impl FoundDate {
    /// The last day the written date can mean: a month-only date covers the whole month.
    pub fn latest(&self) -> Date {
        if self.month_only {
            Date {
                day: days_in_month(self.date.year, self.date.month),
                ..self.date
            }
        } else {
            self.date
        }
    }
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?P<iy>\d{4})[-/.](?P<im>\d{1,2})(?:[-/.](?P<id>\d{1,2}))?\b(?P<slash>/\d)?
        | \b(?P<mn>[a-z]{3,9}\.?)\s+(?P<md>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<my>\d{4})\b
        | \b(?P<dd>\d{1,2})(?:st|nd|rd|th)?\s+(?P<dn>[a-z]{3,9}\.?),?\s+(?P<dy>\d{4})\b
        | \b(?P<on>[a-z]{3,9}\.?)\s+(?P<oy>\d{4})\b
        | (?P<ambiguous>\b\d{1,2}/\d{1,2}/\d{2,4}\b)
        ",
    )
    .expect("date regex")
});

/// The first unambiguous date in `text`. `29/10/2025` and `10/29/2025` are skipped: the
/// order of day and month cannot be known.
pub fn find_date(text: &str) -> Option<FoundDate> {
    for caps in DATE.captures_iter(text) {
        let whole = caps.get(0)?;
        let found = |date: Option<Date>, month_only: bool| {
            date.map(|date| FoundDate {
                date,
                month_only,
                start: whole.start(),
                end: whole.end(),
            })
        };
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let result = if caps.name("ambiguous").is_some() {
            None
        } else if let Some(year) = caps.name("iy") {
            if caps.name("slash").is_some() {
                None
            } else {
                let year = year.as_str().parse().ok();
                match (year, num("im"), num("id")) {
                    (Some(y), Some(m), Some(d)) => found(Date::new(y, m, d), false),
                    (Some(y), Some(m), None) => found(Date::new(y, m, 1), true),
                    _ => None,
                }
            }
        } else if let Some(name) = caps.name("mn") {
            let month = month_number(name.as_str());
            let year = num("my").map(|y| y as i32);
            match (month, num("md"), year) {
                (Some(m), Some(d), Some(y)) => found(Date::new(y, m, d), false),
                _ => None,
            }
        } else if let Some(name) = caps.name("dn") {
            let month = month_number(name.as_str());
            match (month, num("dd"), num("dy")) {
                (Some(m), Some(d), Some(y)) => found(Date::new(y as i32, m, d), false),
                _ => None,
            }
        } else if let Some(name) = caps.name("on") {
            match (month_number(name.as_str()), num("oy")) {
                (Some(m), Some(y)) => found(Date::new(y as i32, m, 1), true),
                _ => None,
            }
        } else {
            None
        };
        if result.is_some() {
            return result;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<(String, bool)> {
        find_date(text).map(|f| (f.date.to_string(), f.month_only))
    }

    #[test]
    fn parses_the_formats_people_write() {
        assert_eq!(date("2025-10-29"), Some(("2025-10-29".into(), false)));
        assert_eq!(
            date("November 20, 2025"),
            Some(("2025-11-20".into(), false))
        );
        assert_eq!(date("Feb 5, 2026"), Some(("2026-02-05".into(), false)));
        assert_eq!(date("5 February 2026"), Some(("2026-02-05".into(), false)));
        assert_eq!(date("Sept. 3rd, 2024"), Some(("2024-09-03".into(), false)));
        assert_eq!(date("2025-10"), Some(("2025-10-01".into(), true)));
        assert_eq!(date("October 2025"), Some(("2025-10-01".into(), true)));
        assert_eq!(date("29/10/2025"), None);
        assert_eq!(date("10/29/2025"), None);
        assert_eq!(date("2025-13-01"), None);
        assert_eq!(date("Mon 2025"), None);
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let d = Date::new(2024, 2, 29).unwrap();
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(
            Date::new(2026, 3, 1).unwrap().days() - Date::new(2026, 2, 1).unwrap().days(),
            28
        );
        assert_eq!(Date::parse_iso("2026-01-31"), Date::new(2026, 1, 31));
        assert_eq!(Date::parse_iso("2026-02-31"), None);
        let found = find_date("2024-02").unwrap();
        assert_eq!(found.latest(), Date::new(2024, 2, 29).unwrap());
    }
}

//! Users' time zones. Times are stored in UTC; a user reads and types them in their own zone
//! (an IANA name such as `America/Sao_Paulo`, saved with the user; UTC when they chose none).
//! "Today", "overdue" and the due times of the activities follow it.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::CurrentUser;
use crate::i18n::{format, Locale};

/// The zone an IANA name (`America/Sao_Paulo`, `Europe/Madrid`, `UTC`) names, if it is one.
pub fn parse(name: &str) -> Option<Tz> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    name.parse::<Tz>().ok()
}

/// The zone the user reads times in: theirs, else UTC.
pub fn of(user: &CurrentUser) -> Tz {
    user.time_zone.as_deref().and_then(parse).unwrap_or(Tz::UTC)
}

/// Every zone a user can choose, by name.
pub fn names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}

/// The calendar day an instant falls on in `zone`.
pub fn local_date(zone: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// A stored time as a `datetime-local` input shows it in `zone` (`2026-12-31T18:30`); empty
/// when the text is not a stored time.
pub fn input_value(stored: &str, zone: Tz) -> String {
    crate::domain::dates::parse_time(stored)
        .map(|t| t.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// A wall-clock time typed in `zone` as an instant. In the hour a clock skips (spring
/// forward) there is no such time: `None`. In the hour a clock repeats, the earlier one.
pub fn from_local(local: NaiveDateTime, zone: Tz) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// A time typed in a form in `zone` (a `datetime-local` value, `2026-12-31T18:30`) as the
/// RFC 3339 instant the services take. Other text (empty, an instant with its offset, a bare
/// date) passes through for the service to judge; a time the zone skips is an error.
pub fn typed(input: &str, zone: Tz) -> Result<String, &'static str> {
    let text = input.trim();
    match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M") {
        Ok(local) => from_local(local, zone)
            .map(crate::domain::dates::stored_time)
            .ok_or("that time does not exist in your time zone (the clocks skip it)"),
        Err(_) => Ok(text.to_string()),
    }
}

/// A stored time as the user reads it: the date in their language's order and the time of
/// day in their zone (`31/12/2026 18:30`). Text that is not a stored time comes back as it is.
pub fn date_time(stored: &str, locale: Locale, zone: Tz) -> String {
    match crate::domain::dates::parse_time(stored) {
        Some(t) => {
            let local = t.with_timezone(&zone);
            format!(
                "{} {}",
                format::date(&local.format("%Y-%m-%d").to_string(), locale),
                local.format("%H:%M")
            )
        }
        None => stored.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn names_parse_and_nonsense_does_not() {
        assert_eq!(parse("America/Sao_Paulo"), Some(Tz::America__Sao_Paulo));
        assert_eq!(parse(" UTC "), Some(Tz::UTC));
        assert_eq!(parse("Mars/Olympus"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse(&"A".repeat(500)), None);
        assert!(names().any(|n| n == "Europe/Madrid"));
    }

    #[test]
    fn today_is_the_users_day() {
        let late = utc("2026-12-04T01:30:00Z");
        assert_eq!(
            local_date(Tz::America__Sao_Paulo, late),
            NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
        );
        assert_eq!(
            local_date(Tz::UTC, late),
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
    }

    #[test]
    fn times_are_typed_and_read_in_the_users_zone() {
        let wall = NaiveDateTime::parse_from_str("2026-12-04T09:00", "%Y-%m-%dT%H:%M").unwrap();
        let at = from_local(wall, Tz::America__Sao_Paulo).unwrap();
        assert_eq!(at, utc("2026-12-04T12:00:00Z"));
        let stored = crate::domain::dates::stored_time(at);
        assert_eq!(
            input_value(&stored, Tz::America__Sao_Paulo),
            "2026-12-04T09:00"
        );
        assert_eq!(
            date_time(&stored, Locale::PtBr, Tz::America__Sao_Paulo),
            "04/12/2026 09:00"
        );
        assert_eq!(date_time(&stored, Locale::En, Tz::UTC), "12/04/2026 12:00");
        assert_eq!(date_time("soon", Locale::En, Tz::UTC), "soon");
        assert_eq!(
            typed("2026-12-04T09:00", Tz::America__Sao_Paulo).as_deref(),
            Ok("2026-12-04T12:00:00.000000Z")
        );
        assert_eq!(typed(" ", Tz::UTC).as_deref(), Ok(""));
        assert_eq!(typed("2026-03-08T02:30", Tz::America__New_York).ok(), None);
        // 02:30 on the night New York springs forward does not exist.
        let skipped = NaiveDateTime::parse_from_str("2026-03-08T02:30", "%Y-%m-%dT%H:%M").unwrap();
        assert_eq!(from_local(skipped, Tz::America__New_York), None);
    }
}

//! Dates and times as Dealflow reads and stores them: calendar dates `YYYY-MM-DD`, UTC
//! timestamps in storage form (RFC 3339 with microseconds, so they sort as text), and the UTC
//! timestamps API clients send.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use super::invalid::Invalid;

/// Parses a calendar date `YYYY-MM-DD` (also accepting a full timestamp, whose date is taken).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| parse_time(s).map(|t| t.date_naive()))
}

/// Parses an RFC 3339 timestamp into UTC.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A timestamp an API client sends, which must be in UTC (`Z` or `+00:00`).
pub fn utc_time(field: &str, value: &str) -> Result<DateTime<Utc>, Invalid> {
    let t = DateTime::parse_from_rfc3339(value.trim()).map_err(|_| {
        Invalid::new(
            field,
            format!("\"{value}\" is not an ISO-8601 timestamp (2025-01-15T10:30:00Z)"),
        )
    })?;
    if t.offset().local_minus_utc() != 0 {
        return Err(Invalid::new(
            field,
            format!("\"{value}\" must be in UTC (end with Z)"),
        ));
    }
    Ok(t.with_timezone(&Utc))
}

/// A timestamp in storage form: `2026-01-02T03:04:05.000000Z` (sorts as text).
pub fn stored_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A stored timestamp as the automations API writes it: `2026-04-01T10:00:00.000Z`.
pub fn api_millis(stored: &str) -> String {
    parse_time(stored)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_else(|| stored.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse() {
        assert_eq!(
            parse_date("2026-04-15"),
            NaiveDate::from_ymd_opt(2026, 4, 15)
        );
        assert_eq!(
            parse_date("2024-03-15T00:00:00.000Z"),
            NaiveDate::from_ymd_opt(2024, 3, 15)
        );
        assert_eq!(parse_date("15/04/2026"), None);
    }

    #[test]
    fn api_timestamps_must_be_utc() {
        let t = utc_time("lost_at", "2025-01-18T16:45:00Z").unwrap();
        assert_eq!(stored_time(t), "2025-01-18T16:45:00.000000Z");
        assert!(utc_time("lost_at", "2025-01-18T16:45:00+00:00").is_ok());
        let e = utc_time("lost_at", "2025-01-18T16:45:00-03:00").unwrap_err();
        assert!(e.message.to_string().contains("UTC"), "{e}");
        assert_eq!(
            utc_time("lost_at", "18/01/2025").unwrap_err().field,
            "lost_at"
        );
    }
}

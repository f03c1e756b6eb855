//! The rules a deal's own values follow, whichever surface sends them: title, scales (quality,
//! visibility, temperature), lost reason and close notes, custom attributes, expected close
//! date and closing times.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::dates::parse_date;
use super::invalid::Invalid;
use super::problem::Problem;

/// Longest deal title accepted.
pub const MAX_TITLE_LEN: usize = 150;
/// Longest quality reason accepted.
pub const MAX_QUALITY_REASON_LEN: usize = 500;
/// Longest lost reason accepted.
pub const MAX_REASON_LEN: usize = 255;
/// Longest close note accepted.
pub const MAX_NOTES_LEN: usize = 5_000;
/// Longest custom attribute key and value accepted.
pub const MAX_ATTRIBUTE_KEY_LEN: usize = 50;
pub const MAX_ATTRIBUTE_VALUE_LEN: usize = 500;
/// Most custom attributes one deal may carry.
pub const MAX_ATTRIBUTES: usize = 50;
/// Largest custom attributes object accepted from the API, serialized.
pub const MAX_ATTRIBUTES_BYTES: usize = 16 * 1024;
/// Visibility of a deal created without one: everyone.
pub const DEFAULT_VISIBILITY: i64 = 2;
/// Base currency of an account that has not chosen one.
pub const DEFAULT_CURRENCY: &str = "USD";

/// Checks and trims a deal title.
pub fn title(title: &str) -> Result<String, Invalid> {
    let t = title.trim();
    if t.is_empty() {
        return Err(Invalid::new("title", Problem::NotEmpty));
    }
    if t.chars().count() > MAX_TITLE_LEN {
        return Err(Invalid::new(
            "title",
            Problem::TooLong { max: MAX_TITLE_LEN },
        ));
    }
    Ok(t.to_string())
}

/// Checks a deal's scales: quality rating 1–5 (and its reason's length), visibility 0 (owner
/// only), 1 (owner's team) or 2 (everyone), temperature 1 (cold), 2 (warm) or 3 (hot).
pub fn scales(
    quality_rating: Option<i64>,
    quality_reason: &str,
    visibility: i64,
    temperature: Option<i64>,
) -> Result<(), Invalid> {
    if quality_rating.is_some_and(|q| !(1..=5).contains(&q)) {
        return Err(Invalid::new(
            "quality_rating",
            Problem::Range { from: 1, to: 5 },
        ));
    }
    if quality_reason.trim().chars().count() > MAX_QUALITY_REASON_LEN {
        return Err(Invalid::new(
            "quality_reason",
            Problem::TooLong {
                max: MAX_QUALITY_REASON_LEN,
            },
        ));
    }
    if !(0..=2).contains(&visibility) {
        return Err(Invalid::new("visibility", Problem::Visibility));
    }
    if temperature.is_some_and(|t| !(1..=3).contains(&t)) {
        return Err(Invalid::new("temperature", Problem::Temperature));
    }
    Ok(())
}

/// Checks a deal value in cents.
pub fn value(cents: i64) -> Result<i64, Invalid> {
    if cents < 0 {
        return Err(Invalid::new("value", Problem::NotNegative));
    }
    Ok(cents)
}

/// A value in its currency: no more decimals than the currency has (see
/// `domain::currency::check_decimals`).
pub fn value_in(cents: i64, currency: &str) -> Result<i64, Invalid> {
    super::currency::check_decimals(cents, currency).map_err(|m| Invalid::new("value", m))?;
    Ok(cents)
}

/// A currency code as given, as three upper-case letters.
pub fn currency_code(input: &str) -> Result<String, Invalid> {
    super::money::normalize_currency(input).map_err(|m| Invalid::new("currency", m))
}

/// A new deal's currency as given: a code, or `None` when empty (the account's base currency).
pub fn currency(input: &str) -> Result<Option<String>, Invalid> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    currency_code(input).map(Some)
}

/// Checks and trims a lost reason: required, at most [`MAX_REASON_LEN`] characters.
pub fn lost_reason(reason: &str) -> Result<&str, Invalid> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Invalid::new("lost_reason", Problem::SayWhyLost));
    }
    if reason.chars().count() > MAX_REASON_LEN {
        return Err(Invalid::new(
            "lost_reason",
            Problem::TooLong {
                max: MAX_REASON_LEN,
            },
        ));
    }
    Ok(reason)
}

/// Checks and trims close notes.
pub fn close_notes(notes: &str) -> Result<&str, Invalid> {
    let notes = notes.trim();
    if notes.chars().count() > MAX_NOTES_LEN {
        return Err(Invalid::new(
            "close_notes",
            Problem::TooLong { max: MAX_NOTES_LEN },
        ));
    }
    Ok(notes)
}

/// Checks a final value in cents.
pub fn final_value(cents: Option<i64>) -> Result<Option<i64>, Invalid> {
    if cents.is_some_and(|v| v < 0) {
        return Err(Invalid::new("final_value", Problem::NotNegative));
    }
    Ok(cents)
}

/// Checks a custom attribute key: 1 to 50 of `a-z`, `0-9`, `_`, starting with a letter.
pub fn attribute_key(key: &str) -> Result<String, Invalid> {
    let key = key.trim();
    let ok = key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && key.len() <= MAX_ATTRIBUTE_KEY_LEN
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(key.to_string())
    } else {
        Err(Invalid::new(
            "key",
            format!(
                "\"{key}\" is not a key: use 1 to {MAX_ATTRIBUTE_KEY_LEN} lowercase letters, digits or _, starting with a letter"
            ),
        ))
    }
}

/// Checks and trims one custom attribute value typed in a form.
pub fn attribute_value(value: &str) -> Result<&str, Invalid> {
    let value = value.trim();
    if value.chars().count() > MAX_ATTRIBUTE_VALUE_LEN {
        return Err(Invalid::new(
            "value",
            Problem::TooLong {
                max: MAX_ATTRIBUTE_VALUE_LEN,
            },
        ));
    }
    Ok(value)
}

/// Checks a whole custom attributes object as an API sends it (kept exactly as sent, any JSON
/// values): at most [`MAX_ATTRIBUTES`] keys of 1 to [`MAX_ATTRIBUTE_KEY_LEN`] characters and
/// [`MAX_ATTRIBUTES_BYTES`] in all. Returns it serialized for storage.
pub fn attributes(attrs: &Map<String, Value>) -> Result<String, Invalid> {
    let field = "custom_attributes";
    if attrs.len() > MAX_ATTRIBUTES {
        return Err(Invalid::new(
            field,
            Problem::TooManyAttributes {
                max: MAX_ATTRIBUTES,
            },
        ));
    }
    if let Some(k) = attrs
        .keys()
        .find(|k| k.trim().is_empty() || k.chars().count() > MAX_ATTRIBUTE_KEY_LEN)
    {
        return Err(Invalid::new(
            field,
            format!("\"{k}\" is not a key: use 1 to {MAX_ATTRIBUTE_KEY_LEN} characters"),
        ));
    }
    let raw = Value::Object(attrs.clone()).to_string();
    if raw.len() > MAX_ATTRIBUTES_BYTES {
        return Err(Invalid::new(
            field,
            format!("must be at most {MAX_ATTRIBUTES_BYTES} bytes of JSON"),
        ));
    }
    Ok(raw)
}

/// An expected close date as typed (empty for none).
pub fn close_date(input: &str) -> Result<Option<NaiveDate>, Invalid> {
    match input.trim() {
        "" => Ok(None),
        d => parse_date(d).map(Some).ok_or_else(|| {
            Invalid::new(
                "expected_close_date",
                Problem::NotADate {
                    value: d.to_string(),
                },
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(title("  Acme ").unwrap(), "Acme");
        assert_eq!(title(" ").unwrap_err().field, "title");
        assert!(title(&"x".repeat(MAX_TITLE_LEN + 1)).is_err());
        assert!(title(&"é".repeat(MAX_TITLE_LEN)).is_ok());
    }

    #[test]
    fn scales_name_their_field() {
        assert!(scales(Some(5), "", 2, Some(3)).is_ok());
        assert_eq!(
            scales(Some(6), "", 2, None).unwrap_err().field,
            "quality_rating"
        );
        assert_eq!(scales(None, "", 3, None).unwrap_err().field, "visibility");
        assert_eq!(
            scales(None, "", 0, Some(0)).unwrap_err().field,
            "temperature"
        );
        let long = "r".repeat(MAX_QUALITY_REASON_LEN + 1);
        assert_eq!(
            scales(None, &long, 0, None).unwrap_err().field,
            "quality_reason"
        );
    }

    #[test]
    fn currencies_default_and_normalize() {
        assert_eq!(currency("").unwrap(), None);
        assert_eq!(currency(" brl ").unwrap().as_deref(), Some("BRL"));
        assert_eq!(currency("R$").unwrap_err().field, "currency");
    }

    #[test]
    fn lost_reasons_are_required_and_bounded() {
        assert_eq!(lost_reason(" Price ").unwrap(), "Price");
        assert!(lost_reason("  ").is_err());
        assert!(lost_reason(&"r".repeat(MAX_REASON_LEN + 1)).is_err());
    }

    #[test]
    fn attributes_are_bounded() {
        let mut m = Map::new();
        m.insert("plan".into(), Value::from("gold"));
        assert_eq!(attributes(&m).unwrap(), r#"{"plan":"gold"}"#);
        m.insert(" ".into(), Value::Null);
        assert!(attributes(&m).is_err());
        assert!(attribute_key("Plan").is_err());
        assert_eq!(attribute_key(" plan_2 ").unwrap(), "plan_2");
    }

    #[test]
    fn close_dates_are_optional_dates() {
        assert_eq!(close_date("").unwrap(), None);
        assert_eq!(
            close_date(" 2026-04-15 ").unwrap(),
            NaiveDate::from_ymd_opt(2026, 4, 15)
        );
        assert_eq!(close_date("soon").unwrap_err().field, "expected_close_date");
    }
}

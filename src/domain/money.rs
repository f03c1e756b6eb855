//! Money is kept as integer cents; these helpers parse and format it.

use super::problem::Problem;

/// Formats cents as a plain decimal amount with two places, e.g. `1234567` → `"12,345.67"`.
pub fn format_cents(cents: i64) -> String {
    let negative = cents < 0;
    let abs = cents.unsigned_abs();
    let units = abs / 100;
    let frac = abs % 100;
    let digits = units.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{frac:02}", if negative { "-" } else { "" })
}

/// Formats cents with a currency code, e.g. `"USD 1,200.00"`.
pub fn format_money(cents: i64, currency: &str) -> String {
    format!("{currency} {}", format_cents(cents))
}

/// Checks a three-letter currency code and returns it upper-cased (`"brl"` → `"BRL"`).
pub fn normalize_currency(input: &str) -> Result<String, Problem> {
    let code = input.trim().to_ascii_uppercase();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(Problem::NotACurrency {
            value: input.trim().to_string(),
        })
    }
}

/// Parses a decimal amount with at most two decimals (`"1200"`, `"1200.5"`, `"1,200.50"`) into cents.
pub fn parse_amount(input: &str) -> Result<i64, Problem> {
    let cleaned: String = input
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    if cleaned.is_empty() {
        return Err(Problem::AmountEmpty);
    }
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, frac) = match body.split_once('.') {
        Some((w, f)) => (w, f),
        None => (body, ""),
    };
    let not_a_number = || Problem::NotANumber {
        value: input.to_string(),
    };
    if whole.is_empty() && frac.is_empty() {
        return Err(not_a_number());
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(not_a_number());
    }
    if frac.len() > 2 {
        return Err(Problem::AmountDecimals);
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| Problem::AmountOverflow)?
    };
    let frac_cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().unwrap_or(0) * 10,
        _ => frac.parse::<i64>().unwrap_or(0),
    };
    let cents = whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(frac_cents))
        .filter(|c| *c <= MAX_CENTS)
        .ok_or(Problem::AmountTooLarge)?;
    Ok(if negative { -cents } else { cents })
}

/// The largest amount anything holds, in cents: 100,000,000,000.00. Sums of many such amounts
/// (a board column, a deal's lines, a report) still fit in 64 bits.
pub const MAX_CENTS: i64 = 10_000_000_000_000;

fn too_large() -> String {
    Problem::AmountTooLarge.to_string()
}

/// Checks an amount in cents against [`MAX_CENTS`] (either sign).
pub fn check_cents(cents: i64) -> Result<i64, String> {
    if cents.checked_abs().is_some_and(|c| c <= MAX_CENTS) {
        Ok(cents)
    } else {
        Err(too_large())
    }
}

/// Converts a JSON number (as sent by API clients, e.g. `75000.5`) into cents,
/// refusing more than two decimals.
pub fn cents_from_f64(value: f64) -> Result<i64, String> {
    if !value.is_finite() {
        return Err("amount is not a finite number".into());
    }
    let scaled = value * 100.0;
    let rounded = scaled.round();
    if (scaled - rounded).abs() > 1e-6 * scaled.abs().max(1.0) {
        return Err("amount has more than 2 decimals".into());
    }
    if rounded.abs() > MAX_CENTS as f64 {
        return Err(too_large());
    }
    Ok(rounded as i64)
}

/// Converts cents to a JSON-friendly decimal number.
pub fn cents_to_f64(cents: i64) -> f64 {
    cents as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_grouping() {
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(5), "0.05");
        assert_eq!(format_cents(123_456_789), "1,234,567.89");
        assert_eq!(format_cents(-100_000), "-1,000.00");
        assert_eq!(format_money(250_000, "EUR"), "EUR 2,500.00");
    }

    #[test]
    fn parses_amounts() {
        assert_eq!(parse_amount("1200"), Ok(120_000));
        assert_eq!(parse_amount("1,200.5"), Ok(120_050));
        assert_eq!(parse_amount(" 0.07 "), Ok(7));
        assert!(parse_amount("1.234").is_err());
        assert!(parse_amount("abc").is_err());
        assert!(parse_amount("").is_err());
        assert!(parse_amount(".").is_err());
    }

    #[test]
    fn converts_json_numbers() {
        assert_eq!(cents_from_f64(75000.5), Ok(7_500_050));
        assert_eq!(cents_from_f64(0.1 + 0.2), Ok(30));
        assert!(cents_from_f64(1.005).is_err());
        assert!(cents_from_f64(f64::NAN).is_err());
    }
}

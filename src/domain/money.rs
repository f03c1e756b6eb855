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

/// Checks an ISO 4217 currency code and returns it upper-cased (`"brl"` → `"BRL"`).
pub fn normalize_currency(input: &str) -> Result<String, Problem> {
    let code = input.trim().to_ascii_uppercase();
    if code.len() == 3 && super::currency::is_iso(&code) {
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

/// A decimal read exactly from its text: `digits × 10^exponent`, with neither leading nor
/// trailing zeros in `digits` (zero has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactDecimal {
    pub negative: bool,
    pub digits: String,
    pub exponent: i64,
}

impl ExactDecimal {
    /// Reads a number in JSON's grammar (`-12.50`, `1e3`, `0.5E-2`) exactly, without passing
    /// through a float; `None` for other text.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (negative, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let (mantissa, exp) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(frac) {
            return None;
        }
        if mantissa.contains('.') && frac.is_empty() {
            return None;
        }
        let exp: i64 = match exp {
            None => 0,
            Some(e) => {
                let e = e.strip_prefix('+').unwrap_or(e);
                let (sign, body) = match e.strip_prefix('-') {
                    Some(b) => (-1, b),
                    None => (1, e),
                };
                if body.is_empty() || !digits_only(body) {
                    return None;
                }
                // Beyond any amount either way; kept finite so arithmetic cannot overflow.
                sign * body.parse::<i64>().unwrap_or(i64::MAX).min(1_000_000)
            }
        };
        let all = format!("{whole}{frac}");
        let trimmed_end = all.trim_end_matches('0');
        let trailing = (all.len() - trimmed_end.len()) as i64;
        let digits = trimmed_end.trim_start_matches('0').to_string();
        if digits.is_empty() {
            return Some(ExactDecimal {
                negative: false,
                digits,
                exponent: 0,
            });
        }
        Some(ExactDecimal {
            negative,
            digits,
            exponent: exp - frac.len() as i64 + trailing,
        })
    }

    /// The amount in cents: at most two decimals, at most [`MAX_CENTS`] either way.
    pub fn cents(&self) -> Result<i64, Problem> {
        if self.digits.is_empty() {
            return Ok(0);
        }
        if self.exponent < -2 {
            return Err(Problem::AmountDecimals);
        }
        // Digits of the amount in cents; MAX_CENTS has 14.
        if self.digits.len() as i64 + self.exponent + 2 > 14 {
            return Err(Problem::AmountTooLarge);
        }
        let scale = 10i64.pow((self.exponent + 2) as u32);
        let cents = self
            .digits
            .parse::<i64>()
            .ok()
            .and_then(|d| d.checked_mul(scale))
            .filter(|c| *c <= MAX_CENTS)
            .ok_or(Problem::AmountTooLarge)?;
        Ok(if self.negative { -cents } else { cents })
    }
}

/// Cents as a plain decimal with a point and no grouping (`-1234.50`).
pub fn plain_decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
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
    fn reads_json_numbers_from_their_text_at_every_magnitude() {
        let cents = |t: &str| ExactDecimal::parse(t).expect(t).cents();
        assert_eq!(cents("75000.5"), Ok(7_500_050));
        assert_eq!(cents("0.07"), Ok(7));
        assert_eq!(cents("1.500"), Ok(150));
        assert_eq!(cents("1e3"), Ok(100_000));
        assert_eq!(cents("12.5E-1"), Ok(125));
        assert_eq!(cents("-0.00"), Ok(0));
        assert_eq!(cents("100000000000"), Ok(MAX_CENTS));
        assert_eq!(cents("99999999999.99"), Ok(9_999_999_999_999));
        for more in [
            "1.005",
            "5000.005",
            "123456.789",
            "99999999999.999",
            "0.30000000000000004",
            "1e-3",
            "0.1000000000000000000000000000001",
        ] {
            assert_eq!(cents(more), Err(Problem::AmountDecimals), "{more}");
        }
        for large in [
            "100000000000.01",
            "1e12",
            "123456789012345678901234567890",
            "1e999999999",
        ] {
            assert_eq!(cents(large), Err(Problem::AmountTooLarge), "{large}");
        }
        for bad in ["", "-", "1.", ".5", "01x", "1e", "1e+", "--1", "1.2.3"] {
            assert_eq!(ExactDecimal::parse(bad), None, "{bad}");
        }
        // The same value written two ways reads the same.
        assert_eq!(ExactDecimal::parse("1000.0"), ExactDecimal::parse("1e3"));
    }
}

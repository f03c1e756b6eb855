//! Phone numbers as people type them — `(11) 98765-4321`, `+55 11 98765-4321`,
//! `0044 20 7946 0958` — read with libphonenumber's rules (the `phonenumber` crate) and stored
//! in E.164 (`+5511987654321`), so that the same number typed two ways is one number. A number
//! without its country code is read in the account's default country, when it has one.

use std::str::FromStr;

use phonenumber::country;

/// Normalizes `input` into E.164, reading a number without country code in `default_country`
/// (ISO 3166 alpha-2, e.g. `BR`); anything else is refused with a message.
pub fn normalize_phone(input: &str, default_country: Option<&str>) -> Result<String, String> {
    let trimmed = input.trim();
    // Digits and the usual separators only: libphonenumber would read letters as keypad
    // digits ("CALL NOW"), which a CRM should not guess.
    let well_formed = trimmed.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0)
    });
    if !well_formed || !trimmed.chars().any(|c| c.is_ascii_digit()) {
        return Err(format!("\"{trimmed}\" is not a phone number"));
    }
    let international = trimmed.starts_with('+') || trimmed.starts_with("00");
    let region = match default_country {
        _ if international => None,
        Some(code) => Some(
            country::Id::from_str(&code.to_ascii_uppercase())
                .map_err(|_| format!("\"{code}\" is not a country code"))?,
        ),
        None => {
            return Err(format!(
                "\"{trimmed}\" needs its country code, e.g. +5511987654321 (or set the account's country)"
            ))
        }
    };
    let text = match trimmed.strip_prefix("00") {
        Some(rest) if !trimmed.starts_with('+') => format!("+{rest}"),
        _ => trimmed.to_string(),
    };
    let number = phonenumber::parse(region, &text)
        .map_err(|_| format!("\"{trimmed}\" is not a phone number"))?;
    let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
    let digits = e164.trim_start_matches('+');
    if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
        return Err(format!(
            "\"{trimmed}\" is not a valid international number (E.164: + and 8 to 15 digits)"
        ));
    }
    Ok(e164)
}

/// Checks an account's default country: an ISO 3166 alpha-2 code libphonenumber knows.
pub fn check_country(code: &str) -> Result<String, String> {
    let code = code.trim().to_ascii_uppercase();
    country::Id::from_str(&code)
        .map(|_| code.clone())
        .map_err(|_| format!("\"{code}\" is not a country code (two letters, e.g. BR, MX, US)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalizes_common_forms() {
        let n = |s| normalize_phone(s, None);
        assert_eq!(n("+55 (11) 98765-4321").unwrap(), "+5511987654321");
        assert_eq!(n("0044 20 7946 0958").unwrap(), "+442079460958");
        assert_eq!(n("+1.415.555.0100").unwrap(), "+14155550100");
    }

    #[test]
    fn reads_national_numbers_in_the_default_country() {
        let br = |s| normalize_phone(s, Some("BR"));
        assert_eq!(br("(11) 98765-4321").unwrap(), "+5511987654321");
        assert_eq!(br("11 98765 4321").unwrap(), "+5511987654321");
        assert_eq!(br("+55 11 98765-4321").unwrap(), "+5511987654321");
        assert_eq!(
            normalize_phone("(55) 1234 5678", Some("mx")).unwrap(),
            "+525512345678"
        );
        assert_eq!(
            normalize_phone("(415) 555-0100", Some("US")).unwrap(),
            "+14155550100"
        );
        assert!(normalize_phone("(11) 98765-4321", None).is_err());
        assert!(normalize_phone("(11) 98765-4321", Some("XX")).is_err());
    }

    #[test]
    fn refuses_what_is_not_e164() {
        for bad in [
            "12345",
            "987654321",
            "+0123456789",
            "+1 555 CALL NOW",
            "+12",
            "+1234567890123456",
            "1+5551234567",
        ] {
            assert!(normalize_phone(bad, None).is_err(), "{bad} accepted");
        }
        assert!(check_country("br").is_ok());
        assert!(check_country("Brazil").is_err());
    }
}

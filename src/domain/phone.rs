//! Phone numbers in E.164 form (`+` and 8 to 15 digits, no leading zero).

/// Normalizes a phone number typed with spaces, dashes, dots or parentheses, or with a `00`
/// international prefix, into E.164; anything else is refused with a message.
pub fn normalize_phone(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    let mut digits = String::new();
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(format!("\"{trimmed}\" is not a phone number")),
        }
    }
    let digits = if trimmed.starts_with('+') {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else {
        return Err(format!(
            "\"{trimmed}\" needs its country code, e.g. +5511987654321"
        ));
    };
    if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
        return Err(format!(
            "\"{trimmed}\" is not a valid international number (E.164: + and 8 to 15 digits)"
        ));
    }
    Ok(format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::normalize_phone;

    #[test]
    fn accepts_and_normalizes_common_forms() {
        assert_eq!(
            normalize_phone("+55 (11) 98765-4321").unwrap(),
            "+5511987654321"
        );
        assert_eq!(
            normalize_phone("0044 20 7946 0958").unwrap(),
            "+442079460958"
        );
        assert_eq!(normalize_phone("+1.415.555.0100").unwrap(), "+14155550100");
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
            assert!(normalize_phone(bad).is_err(), "{bad} accepted");
        }
    }
}

//! Numbers, money and dates as each language writes them: `$1,234.56` and `12/31/2026` in
//! English, `1.234,56 US$` and `31/12/2026` in Spanish, `R$ 1.234,56` and `31/12/2026` in
//! Brazilian Portuguese.

use super::Locale;

/// The separators of a language: (thousands, decimals).
fn separators(locale: Locale) -> (char, char) {
    match locale {
        Locale::En => (',', '.'),
        Locale::Es | Locale::PtBr => ('.', ','),
    }
}

/// Whole units grouped by thousands, as the language groups them.
fn grouped(units: u64, thousands: char) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(thousands);
        }
        out.push(ch);
    }
    out
}

/// Cents as a decimal amount with two places: `1.234,56` in Portuguese.
pub fn amount(cents: i64, locale: Locale) -> String {
    let (thousands, decimals) = separators(locale);
    let abs = cents.unsigned_abs();
    let sign = if cents < 0 { "-" } else { "" };
    format!(
        "{sign}{}{decimals}{:02}",
        grouped(abs / 100, thousands),
        abs % 100
    )
}

/// The symbol a language writes for a currency, when it has one; otherwise the code.
fn symbol(currency: &str, locale: Locale) -> &str {
    match (currency, locale) {
        ("USD", Locale::En) => "$",
        ("USD", _) => "US$",
        ("BRL", _) => "R$",
        ("EUR", _) => "€",
        ("GBP", _) => "£",
        ("MXN", Locale::Es) => "MX$",
        _ => currency,
    }
}

/// Cents in a currency as the language writes money: `$1,234.56`, `R$ 1.234,56`,
/// `1.234,56 €`.
pub fn money(cents: i64, currency: &str, locale: Locale) -> String {
    let number = amount(cents, locale);
    let sym = symbol(currency, locale);
    let short = sym.chars().count() == 1;
    match locale {
        Locale::En if short => match number.strip_prefix('-') {
            Some(positive) => format!("-{sym}{positive}"),
            None => format!("{sym}{number}"),
        },
        Locale::En | Locale::PtBr => format!("{sym} {number}"),
        Locale::Es => format!("{number} {sym}"),
    }
}

/// A calendar date (`YYYY-MM-DD`, or the date of an RFC 3339 time) as the language writes it:
/// `12/31/2026` or `31/12/2026`. Text that is not a date is returned as it is.
pub fn date(iso: &str, locale: Locale) -> String {
    let day = iso.get(..10).unwrap_or(iso);
    let mut parts = day.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return iso.to_string();
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return iso.to_string();
    }
    match locale {
        Locale::En => format!("{m}/{d}/{y}"),
        Locale::Es | Locale::PtBr => format!("{d}/{m}/{y}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_as_each_language_writes_it() {
        assert_eq!(money(123_456, "BRL", Locale::PtBr), "R$ 1.234,56");
        assert_eq!(money(123_456, "USD", Locale::En), "$1,234.56");
        assert_eq!(money(-5, "USD", Locale::En), "-$0.05");
        assert_eq!(money(123_456, "USD", Locale::Es), "1.234,56 US$");
        assert_eq!(money(100_000_000, "EUR", Locale::Es), "1.000.000,00 €");
        assert_eq!(money(1_999, "CHF", Locale::En), "CHF 19.99");
        assert_eq!(
            money(i64::MIN, "BRL", Locale::PtBr),
            "R$ -92.233.720.368.547.758,08"
        );
    }

    #[test]
    fn dates_are_written_in_the_languages_order() {
        assert_eq!(date("2026-12-31", Locale::PtBr), "31/12/2026");
        assert_eq!(date("2026-12-31T23:59:00Z", Locale::Es), "31/12/2026");
        assert_eq!(date("2026-12-31", Locale::En), "12/31/2026");
        assert_eq!(date("soon", Locale::En), "soon");
        assert_eq!(date("", Locale::En), "");
    }
}

//! Currencies (ISO 4217, from the `iso_currency` table) and conversion to the account's base
//! currency. Amounts are kept as hundredths of their currency's unit, so a currency with no
//! decimals (JPY) holds whole hundreds, and one with three (BHD) can only be given to two.
//! A rate says what one unit of a currency was worth in the base currency from a day on,
//! to eight decimals; an amount converts at the rate of the last day given on or before
//! the day asked for.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::problem::Problem;

/// Decimals an ISO 4217 currency is written with (`None` for a code the standard lacks).
pub fn decimals(code: &str) -> Option<u16> {
    iso_currency::Currency::from_code(code).map(|c| c.exponent().unwrap_or(0))
}

/// Whether `code` is an ISO 4217 currency.
pub fn is_iso(code: &str) -> bool {
    iso_currency::Currency::from_code(code).is_some()
}

/// Refuses an amount (hundredths) with more decimals than its currency has (`1.5` JPY).
pub fn check_decimals(cents: i64, code: &str) -> Result<(), Problem> {
    match decimals(code) {
        Some(0) if cents % 100 != 0 => {
            Err(Problem::Text(format!("{code} amounts have no decimals")))
        }
        Some(1) if cents % 10 != 0 => Err(Problem::Text(format!(
            "{code} amounts have at most one decimal"
        ))),
        _ => Ok(()),
    }
}

/// Largest rate accepted (one unit worth a billion base units).
pub const MAX_RATE_E8: i64 = 1_000_000_000 * 100_000_000;

/// A rate in hundred-millionths: `Rate(540_000_000)` is 5.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Rate(pub i64);

impl Rate {
    /// A rate as typed (`5.4321`, up to eight decimals, above zero), read exactly.
    pub fn parse(text: &str) -> Result<Rate, Problem> {
        let t = text.trim();
        let bad = || {
            Problem::Text(format!(
                "\"{}\" is not a rate (a number above zero with up to 8 decimals)",
                t.chars().take(40).collect::<String>()
            ))
        };
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 8
            || whole.len() > 10
        {
            return Err(bad());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let frac_e8: i64 = format!("{frac:0<8}").parse().map_err(|_| bad())?;
        let e8 = whole
            .checked_mul(100_000_000)
            .and_then(|w| w.checked_add(frac_e8))
            .filter(|r| *r > 0 && *r <= MAX_RATE_E8)
            .ok_or_else(bad)?;
        Ok(Rate(e8))
    }

    /// The rate as a plain decimal, without trailing zeros (`5.4`, `0.00012`, `3`).
    pub fn decimal(self) -> String {
        let whole = self.0 / 100_000_000;
        let frac = format!("{:08}", self.0 % 100_000_000);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{frac}")
        }
    }

    /// `cents` of the currency in cents of the base, rounded half away from zero.
    pub fn convert(self, cents: i64) -> i64 {
        let p = i128::from(cents) * i128::from(self.0);
        let half = 50_000_000i128;
        let r = if p >= 0 {
            (p + half) / 100_000_000
        } else {
            (p - half) / 100_000_000
        };
        r.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }
}

/// One rate as the settings and the API list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateRow {
    pub currency: String,
    /// `YYYY-MM-DD`: the rate holds from this day until the next day given.
    pub day: String,
    pub rate: Rate,
}

/// An account's rates to its base currency, ready to convert.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    pub base: String,
    /// Per currency, `(day, rate)` by day.
    by_currency: BTreeMap<String, Vec<(String, Rate)>>,
}

impl Rates {
    /// Rates to `base` from `(currency, day YYYY-MM-DD, rate)` rows.
    pub fn new(base: &str, rows: impl IntoIterator<Item = (String, String, Rate)>) -> Rates {
        let mut by_currency: BTreeMap<String, Vec<(String, Rate)>> = BTreeMap::new();
        for (currency, day, rate) in rows {
            by_currency.entry(currency).or_default().push((day, rate));
        }
        for days in by_currency.values_mut() {
            days.sort();
        }
        Rates {
            base: base.to_string(),
            by_currency,
        }
    }

    /// The rate of `currency` on `day` (`YYYY-MM-DD`): the base converts at 1, another
    /// currency at its last rate given on or before that day; `None` without one.
    pub fn rate(&self, currency: &str, day: &str) -> Option<Rate> {
        if currency == self.base {
            return Some(Rate(100_000_000));
        }
        let days = self.by_currency.get(currency)?;
        let at = days.partition_point(|(d, _)| d.as_str() <= day);
        at.checked_sub(1).map(|i| days[i].1)
    }

    /// `cents` of `currency` in the base currency at `day`'s rate.
    pub fn convert(&self, cents: i64, currency: &str, day: &str) -> Option<i64> {
        self.rate(currency, day).map(|r| r.convert(cents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_exactly_and_convert_at_the_last_day_given() {
        assert_eq!(Rate::parse("5.4321"), Ok(Rate(543_210_000)));
        assert_eq!(Rate::parse("0.00000001"), Ok(Rate(1)));
        assert_eq!(Rate::parse(".5"), Ok(Rate(50_000_000)));
        for bad in [
            "",
            "0",
            "-1",
            "1.123456789",
            "1e3",
            "abc",
            "1.2.3",
            "99999999999",
        ] {
            assert!(Rate::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Rate(540_000_000).decimal(), "5.4");
        assert_eq!(Rate(300_000_000).decimal(), "3");
        assert_eq!(Rate(50_000_000).convert(3), 2, "1.5 rounds away from zero");
        assert_eq!(Rate(50_000_000).convert(-3), -2);

        let rates = Rates::new(
            "USD",
            [
                ("EUR".into(), "2026-10-01".into(), Rate(110_000_000)),
                ("EUR".into(), "2026-11-01".into(), Rate(120_000_000)),
            ],
        );
        assert_eq!(rates.convert(10_000, "EUR", "2026-09-30"), None);
        assert_eq!(rates.convert(10_000, "EUR", "2026-10-01"), Some(11_000));
        assert_eq!(rates.convert(10_000, "EUR", "2026-10-31"), Some(11_000));
        assert_eq!(rates.convert(10_000, "EUR", "2026-11-01"), Some(12_000));
        assert_eq!(rates.convert(10_000, "USD", "2000-01-01"), Some(10_000));
        assert_eq!(rates.convert(10_000, "BRL", "2026-11-01"), None);
    }

    #[test]
    fn currencies_come_from_iso_4217_with_their_decimals() {
        assert_eq!(decimals("JPY"), Some(0));
        assert_eq!(decimals("BHD"), Some(3));
        assert_eq!(decimals("BRL"), Some(2));
        assert_eq!(decimals("XYZ"), None);
        assert!(check_decimals(150, "JPY").is_err());
        assert!(check_decimals(100, "JPY").is_ok());
        assert!(check_decimals(150, "USD").is_ok());
    }
}

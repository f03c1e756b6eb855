//! Quotes: what the deal page, the printable quote page and the public portal show, and the
//! rules about discounts and status changes shared by browser and server.

use super::ids::{DealId, QuoteId};
use super::problem::Problem;
use serde::{Deserialize, Serialize};

/// Largest discount in basis points (100 %).
pub const MAX_DISCOUNT_BP: i64 = 10_000;

/// The label a quote number is shown with: `COT-0042`.
pub fn quote_label(number: i64) -> String {
    format!("COT-{number:04}")
}

/// Parses a discount percentage (`""` is 0, `"12.5"` → 1250 basis points): 0 to 100 with at
/// most two decimals.
pub fn parse_discount(input: &str) -> Result<i64, Problem> {
    let s = input.trim().trim_end_matches('%').trim();
    if s.is_empty() {
        return Ok(0);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
        return Err(Problem::NotAPercentage {
            value: input.trim().to_string(),
        });
    }
    if frac.len() > 2 {
        return Err(Problem::TwoDecimals);
    }
    let out_of_range = Problem::Range { from: 0, to: 100 };
    if whole.len() > 3 {
        return Err(out_of_range);
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| out_of_range.clone())?
    };
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().unwrap_or(0) * 10,
        _ => frac.parse::<i64>().unwrap_or(0),
    };
    let bp = whole * 100 + frac;
    if bp > MAX_DISCOUNT_BP {
        return Err(out_of_range);
    }
    Ok(bp)
}

/// Basis points as a percentage without trailing zeros: 1250 → `"12.5"`, 1000 → `"10"`.
pub fn format_discount(bp: i64) -> String {
    let whole = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        whole.to_string()
    } else if frac % 10 == 0 {
        format!("{whole}.{}", frac / 10)
    } else {
        format!("{whole}.{frac:02}")
    }
}

/// Human word of a status (`"SENT"` → `"Sent"`).
pub fn status_word(status: &str) -> &'static str {
    match status {
        "GENERATED" => "Draft",
        "SENT" => "Sent",
        "ACCEPTED" => "Accepted",
        "REJECTED" => "Rejected",
        "WON" => "Won",
        "LOST" => "Lost",
        _ => "Unknown",
    }
}

/// Tailwind classes of a status badge.
pub fn status_badge(status: &str) -> &'static str {
    match status {
        "SENT" => "bg-sky-100 text-sky-800",
        "ACCEPTED" => "bg-emerald-100 text-emerald-800",
        "WON" => "bg-emerald-600 text-white",
        "REJECTED" => "bg-amber-100 text-amber-800",
        "LOST" => "bg-red-600 text-white",
        _ => "bg-slate-200 text-slate-700",
    }
}

/// Whether items may still be changed (only a draft).
pub fn is_editable(status: &str) -> bool {
    status == "GENERATED"
}

/// Whether the quote can be sent (again).
pub fn can_send(status: &str) -> bool {
    matches!(status, "GENERATED" | "SENT")
}

/// Whether the client may accept or reject it on the portal.
pub fn can_respond(status: &str) -> bool {
    status == "SENT"
}

/// Whether a salesperson may mark it won.
pub fn can_mark_won(status: &str) -> bool {
    matches!(status, "GENERATED" | "SENT" | "ACCEPTED")
}

/// Whether a salesperson may mark it lost.
pub fn can_mark_lost(status: &str) -> bool {
    matches!(status, "GENERATED" | "SENT" | "ACCEPTED" | "REJECTED")
}

/// A quote in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteSummary {
    pub id: QuoteId,
    pub number: i64,
    pub status: String,
    pub currency: String,
    pub total_cents: i64,
    pub view_count: i64,
    /// `YYYY-MM-DD`.
    pub valid_until: Option<String>,
    /// RFC 3339 UTC.
    pub sent_at: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
}

/// One line of a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteItem {
    pub id: i64,
    pub product_name: String,
    pub model: String,
    pub unit_price_cents: i64,
    pub quantity: i64,
    pub discount_basis_points: i64,
    /// After the discount, rounded half away from zero to the cent.
    pub line_total_cents: i64,
}

/// A label on a quote (or one the account offers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteLabel {
    pub id: i64,
    pub name: String,
    pub color: String,
}

/// A quote with everything its pages show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteDetail {
    pub id: QuoteId,
    pub number: i64,
    pub deal_id: Option<DealId>,
    pub deal_title: Option<String>,
    /// The account that issues the quote.
    pub seller_name: String,
    pub status: String,
    pub currency: String,
    pub client_name: Option<String>,
    pub client_company: Option<String>,
    pub client_email: Option<String>,
    pub items: Vec<QuoteItem>,
    pub labels: Vec<QuoteLabel>,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub shipping_cents: i64,
    pub total_cents: i64,
    pub notes: String,
    /// `YYYY-MM-DD`; the quote is valid through the end of that day (UTC).
    pub valid_until: Option<String>,
    pub view_count: i64,
    /// RFC 3339 UTC.
    pub sent_at: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// The portal token; only on pages for signed-in users of the account.
    pub public_token: Option<String>,
}

/// An item row of the quote form as posted (`items[n][product_name]`, …): text as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteItemForm {
    #[serde(default)]
    pub product_name: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub unit_price: String,
    /// Empty is 1.
    #[serde(default)]
    pub quantity: String,
    /// A percentage; empty is no discount.
    #[serde(default)]
    pub discount_pct: String,
}

/// The quote page's data: the quote and the labels the account offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotePage {
    pub quote: QuoteDetail,
    /// The client's portal address, absolute.
    pub portal_url: String,
    pub account_labels: Vec<QuoteLabel>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discounts_parse_as_basis_points() {
        assert_eq!(parse_discount(""), Ok(0));
        assert_eq!(parse_discount("12.5"), Ok(1250));
        assert_eq!(parse_discount("12.55 %"), Ok(1255));
        assert_eq!(parse_discount("100"), Ok(10_000));
        assert_eq!(parse_discount(".5"), Ok(50));
        assert!(parse_discount("100.01").is_err());
        assert!(parse_discount("-1").is_err());
        assert!(parse_discount("1.234").is_err());
        assert!(parse_discount("ten").is_err());
        assert!(parse_discount("99999999999999999999").is_err());
    }

    #[test]
    fn discounts_format_without_trailing_zeros() {
        assert_eq!(format_discount(1250), "12.5");
        assert_eq!(format_discount(1000), "10");
        assert_eq!(format_discount(1205), "12.05");
        assert_eq!(format_discount(0), "0");
    }

    #[test]
    fn labels_and_transitions() {
        assert_eq!(quote_label(42), "COT-0042");
        assert_eq!(quote_label(12345), "COT-12345");
        assert!(can_respond("SENT") && !can_respond("GENERATED"));
        assert!(can_mark_lost("REJECTED") && !can_mark_won("REJECTED"));
        assert!(is_editable("GENERATED") && !is_editable("SENT"));
    }
}

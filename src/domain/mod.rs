//! Domain types and rules shared by browser and server. Nothing here does I/O.

pub mod activity;
pub mod audit;
pub mod automation;
pub mod board;
pub mod board_props;
pub mod catalog;
pub mod contact;
pub mod currency;
pub mod dates;
pub mod deal;
pub mod deal_rules;
pub mod deal_table;
pub mod ids;
pub mod import;
pub mod invalid;
pub mod marketing;
pub mod money;
pub mod outbox;
pub mod positions;
pub mod probability;
pub mod problem;
pub mod public_id;
pub mod quote;
pub mod ransack;
pub mod report;
pub mod report_table;
pub mod search;
pub mod types;
pub mod webhook;

pub use ids::*;
pub use invalid::Invalid;
pub use problem::{Problem, Thing};
pub use types::*;

/// A count with its noun, singular for one: `count_of(1, "deal", "deals")` is "1 deal".
pub fn count_of(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `s` safe inside HTML or SVG text and quoted attributes.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a value for a URL query (unreserved characters and `/` kept as they are).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(super::count_of(1, "deal", "deals"), "1 deal");
        assert_eq!(super::count_of(0, "deal", "deals"), "0 deals");
        assert_eq!(super::count_of(5, "run", "runs"), "5 runs");
    }

    #[test]
    fn url_encode_keeps_paths_and_escapes_the_rest() {
        assert_eq!(
            super::url_encode("/pipelines/2?q=a b&x=é"),
            "/pipelines/2%3Fq%3Da%20b%26x%3D%C3%A9"
        );
    }
}

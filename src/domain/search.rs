//! Text as searches compare it. A search ignores case and accents on every database: each
//! searchable text is stored beside a folded copy (`deals.title_key`, `contacts.name_key`,
//! `organizations.name_key`), and what people type is folded the same way before it is
//! compared, so "erica" finds "Érica" and "SAO PAULO" finds "São Paulo".

use serde::{Deserialize, Serialize};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

use super::ransack::escape_like;

/// The longest text a search looks for, in characters.
pub const MAX_QUERY: usize = 100;

/// What a search found, grouped: at most a few of each, the likeliest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHits {
    pub deals: Vec<Hit>,
    pub contacts: Vec<Hit>,
    pub organizations: Vec<Hit>,
}

impl SearchHits {
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.deals.is_empty() && self.contacts.is_empty() && self.organizations.is_empty()
    }

    /// Every hit in the order the groups are shown (deals, contacts, organizations).
    pub fn all(&self) -> impl Iterator<Item = &Hit> {
        self.deals
            .iter()
            .chain(&self.contacts)
            .chain(&self.organizations)
    }
}

/// One record found: where it opens, its name and a line that tells it apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    /// The record's page (`/deals/7`, `/contacts/3`, `/organizations/2`).
    pub href: String,
    pub title: String,
    /// Organization, contact, e-mail or phone; may be empty.
    pub detail: String,
    /// A deal's status (`None` for contacts and organizations).
    pub status: Option<super::DealStatus>,
}

/// `s` in lower case, without accents or other marks, the letters that carry no separate
/// mark spelled in plain Latin (ø → o, ß → ss, æ → ae, ł → l). Idempotent:
/// `fold(&fold(s)) == fold(s)`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase).nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'đ' | 'ð' => out.push('d'),
            'ł' => out.push('l'),
            'ı' => out.push('i'),
            'þ' => out.push_str("th"),
            c => out.push(c),
        }
    }
    out
}

/// `text` when it is at most [`MAX_QUERY`] characters long; every search refuses longer text.
pub fn bounded(text: &str) -> Result<&str, super::Problem> {
    if text.chars().count() > MAX_QUERY {
        Err(super::Problem::TooLong { max: MAX_QUERY })
    } else {
        Ok(text)
    }
}

/// The `LIKE … ESCAPE '\'` pattern that finds `text` (folded, trimmed) anywhere in a folded
/// column; `None` when nothing is left to look for.
pub fn contains_pattern(text: &str) -> Option<String> {
    let folded = fold(text.trim());
    (!folded.is_empty()).then(|| format!("%{}%", escape_like(&folded)))
}

/// The digits of `text` when it reads as part of a phone number (at least three digits and
/// nothing but digits, spaces and `+ - ( ) .`): phones are stored in E.164, so "98765-4321"
/// is looked up as "987654321".
pub fn phone_digits(text: &str) -> Option<String> {
    let text = text.trim();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    (phone_like && digits.len() >= 3).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_accents() {
        assert_eq!(fold("Érica"), "erica");
        assert_eq!(fold("SÃO PAULO"), "sao paulo");
        assert_eq!(fold("Ação Ñandú Çedilha"), "acao nandu cedilha");
        assert_eq!(fold("Straße Øre Łódź Æble"), "strasse ore lodz aeble");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("Zoë 50% off_"), "zoe 50% off_");
    }

    #[test]
    fn folding_is_idempotent() {
        for s in ["Érica", "Straße", "İstanbul", "Œuvre", "Ǆemal", "ﬁne"] {
            assert_eq!(fold(&fold(s)), fold(s), "{s}");
        }
    }

    #[test]
    fn patterns_fold_and_escape() {
        assert_eq!(contains_pattern("  Érica "), Some("%erica%".into()));
        assert_eq!(contains_pattern("50%_"), Some("%50\\%\\_%".into()));
        assert_eq!(contains_pattern("   "), None);
    }

    #[test]
    fn phone_digits_only_for_phone_like_text() {
        assert_eq!(phone_digits("(11) 98765-4321"), Some("11987654321".into()));
        assert_eq!(phone_digits("+55 11"), Some("5511".into()));
        assert_eq!(phone_digits("12"), None);
        assert_eq!(phone_digits("Acme 123"), None);
    }
}

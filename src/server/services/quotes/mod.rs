//! Quotes: priced offers made from a deal to its client, numbered per account, sent by e-mail
//! with a link to a public portal where the client accepts or rejects them.
//!
//! Totals are always computed here from the items (`QuoteTotals::compute`); nothing sent by a
//! form or an API decides them. Every change is one transaction with its automation event and,
//! when the quote has a deal, a line on the deal's timeline. The portal is authorized by the
//! quote's `public_token` alone (32 random bytes, hex).
//!
//! | module | holds |
//! |---|---|
//! | [`content`] | items, tax, shipping, notes and validity, checked and priced |
//! | [`create`] | new quotes and their items |
//! | [`status`] | sending, won, lost |
//! | [`portal`] | the client's answers by token |
//! | [`labels`], [`expiry`] | labels; the expiry notice |
//! | [`read`] | lists and one quote whole |

use crate::domain::DealId;
mod content;
mod create;
mod expiry;
mod labels;
mod portal;
mod read;
mod status;

pub use create::{create, create_from_deal, update_items};
pub use expiry::emit_expiring;
pub use labels::{account_labels, add_label, remove_label};
pub use portal::{portal_accept, portal_get, portal_reject, portal_view};
pub use read::{get, list_for_deal, page};
pub use status::{mark_lost, mark_won, portal_url, send};

/// Largest quantity on one item.
pub const MAX_QUANTITY: i64 = 1_000_000;

/// Most items on one quote.
pub const MAX_ITEMS: usize = 200;

/// Longest product name of an item.
pub const MAX_NAME_LEN: usize = 150;

/// Longest model of an item.
pub const MAX_MODEL_LEN: usize = 100;

/// Longest notes.
pub const MAX_NOTES_LEN: usize = 5_000;

/// An item as typed: amounts as text, the discount as a percentage (`"12.5"`).
#[derive(Debug, Clone, Default)]
pub struct NewItem {
    pub product_name: String,
    pub model: String,
    pub unit_price: String,
    pub quantity: i64,
    pub discount_pct: String,
}

/// A quote typed by hand for a deal. An empty `currency` takes the deal's.
#[derive(Debug, Clone)]
pub struct NewQuote {
    pub deal_id: DealId,
    pub items: Vec<NewItem>,
    pub tax: String,
    pub shipping: String,
    pub notes: String,
    pub valid_until: Option<String>,
    pub currency: String,
}

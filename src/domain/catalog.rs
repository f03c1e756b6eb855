//! Account catalogs a deal picks from: tags, lead sources and products.

use serde::{Deserialize, Serialize};

use super::ids::ProductId;

/// A named choice (tag, lead source, organization, contact) with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// A product of the account's catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub identifier: String,
    pub unit_amount_cents: i64,
    pub currency: String,
    pub active: bool,
}

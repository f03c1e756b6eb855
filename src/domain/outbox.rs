//! The account's outbox: every e-mail the server wrote (quotes sent, automations).

use serde::{Deserialize, Serialize};

/// One message and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OutboxEmail {
    pub id: i64,
    #[cfg_attr(feature = "ssr", sqlx(rename = "to_address"))]
    pub to: String,
    pub subject: String,
    /// `None` for a message holding a personal link (an invitation, a password reset).
    pub body: Option<String>,
    /// `queued`, `sent`, `failed`, or `kept` (no SMTP server configured).
    pub status: String,
    pub error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// Messages shown on one outbox page.
pub const OUTBOX_PAGE: i64 = 25;

//! Webhook subscriptions as the browser and the API see them: the catalogue of events a URL
//! may subscribe to, a subscription, and one delivery of its log.

use serde::{Deserialize, Serialize};

/// An event a webhook subscription may listen to. Its name on the wire (`deal.created`,
/// `quote.accepted`, …) is the serde name, in the payload's `event` and in the
/// `X-Dealflow-Event` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum WebhookEvent {
    #[serde(rename = "deal.created")]
    DealCreated,
    #[serde(rename = "deal.updated")]
    DealUpdated,
    #[serde(rename = "deal.stage_changed")]
    DealStageChanged,
    #[serde(rename = "deal.won")]
    DealWon,
    #[serde(rename = "deal.lost")]
    DealLost,
    #[serde(rename = "deal.reopened")]
    DealReopened,
    #[serde(rename = "deal.deleted")]
    DealDeleted,
    #[serde(rename = "contact.created")]
    ContactCreated,
    #[serde(rename = "contact.updated")]
    ContactUpdated,
    #[serde(rename = "contact.deleted")]
    ContactDeleted,
    #[serde(rename = "organization.created")]
    OrganizationCreated,
    #[serde(rename = "organization.updated")]
    OrganizationUpdated,
    #[serde(rename = "organization.deleted")]
    OrganizationDeleted,
    #[serde(rename = "activity.completed")]
    ActivityCompleted,
    #[serde(rename = "quote.created")]
    QuoteCreated,
    #[serde(rename = "quote.sent")]
    QuoteSent,
    #[serde(rename = "quote.viewed")]
    QuoteViewed,
    #[serde(rename = "quote.accepted")]
    QuoteAccepted,
    #[serde(rename = "quote.rejected")]
    QuoteRejected,
    #[serde(rename = "quote.won")]
    QuoteWon,
    #[serde(rename = "quote.lost")]
    QuoteLost,
    #[serde(rename = "quote.expiring")]
    QuoteExpiring,
}

/// The event name of a "send test event" delivery (not one a subscription listens to).
pub const TEST_EVENT: &str = "webhook.test";

impl WebhookEvent {
    /// Every event, in the order the settings page offers them.
    pub const ALL: &'static [WebhookEvent] = &[
        WebhookEvent::DealCreated,
        WebhookEvent::DealUpdated,
        WebhookEvent::DealStageChanged,
        WebhookEvent::DealWon,
        WebhookEvent::DealLost,
        WebhookEvent::DealReopened,
        WebhookEvent::DealDeleted,
        WebhookEvent::ContactCreated,
        WebhookEvent::ContactUpdated,
        WebhookEvent::ContactDeleted,
        WebhookEvent::OrganizationCreated,
        WebhookEvent::OrganizationUpdated,
        WebhookEvent::OrganizationDeleted,
        WebhookEvent::ActivityCompleted,
        WebhookEvent::QuoteCreated,
        WebhookEvent::QuoteSent,
        WebhookEvent::QuoteViewed,
        WebhookEvent::QuoteAccepted,
        WebhookEvent::QuoteRejected,
        WebhookEvent::QuoteWon,
        WebhookEvent::QuoteLost,
        WebhookEvent::QuoteExpiring,
    ];

    /// The event's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            WebhookEvent::DealCreated => "deal.created",
            WebhookEvent::DealUpdated => "deal.updated",
            WebhookEvent::DealStageChanged => "deal.stage_changed",
            WebhookEvent::DealWon => "deal.won",
            WebhookEvent::DealLost => "deal.lost",
            WebhookEvent::DealReopened => "deal.reopened",
            WebhookEvent::DealDeleted => "deal.deleted",
            WebhookEvent::ContactCreated => "contact.created",
            WebhookEvent::ContactUpdated => "contact.updated",
            WebhookEvent::ContactDeleted => "contact.deleted",
            WebhookEvent::OrganizationCreated => "organization.created",
            WebhookEvent::OrganizationUpdated => "organization.updated",
            WebhookEvent::OrganizationDeleted => "organization.deleted",
            WebhookEvent::ActivityCompleted => "activity.completed",
            WebhookEvent::QuoteCreated => "quote.created",
            WebhookEvent::QuoteSent => "quote.sent",
            WebhookEvent::QuoteViewed => "quote.viewed",
            WebhookEvent::QuoteAccepted => "quote.accepted",
            WebhookEvent::QuoteRejected => "quote.rejected",
            WebhookEvent::QuoteWon => "quote.won",
            WebhookEvent::QuoteLost => "quote.lost",
            WebhookEvent::QuoteExpiring => "quote.expiring",
        }
    }

    /// The event a name stands for.
    pub fn from_name(name: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL
            .iter()
            .copied()
            .find(|e| e.name() == name.trim())
    }

    /// What happened, in a few words.
    pub fn describe(self) -> &'static str {
        match self {
            WebhookEvent::DealCreated => "a deal was created",
            WebhookEvent::DealUpdated => "a deal's fields, people or products changed",
            WebhookEvent::DealStageChanged => "a deal moved to another stage",
            WebhookEvent::DealWon => "a deal was won",
            WebhookEvent::DealLost => "a deal was lost",
            WebhookEvent::DealReopened => "a won or lost deal was reopened",
            WebhookEvent::DealDeleted => "a deal was deleted",
            WebhookEvent::ContactCreated => "a contact was created",
            WebhookEvent::ContactUpdated => "a contact was changed",
            WebhookEvent::ContactDeleted => "a contact was deleted",
            WebhookEvent::OrganizationCreated => "an organization was created",
            WebhookEvent::OrganizationUpdated => "an organization was renamed",
            WebhookEvent::OrganizationDeleted => "an organization was deleted",
            WebhookEvent::ActivityCompleted => "an activity was completed",
            WebhookEvent::QuoteCreated => "a quote was created",
            WebhookEvent::QuoteSent => "a quote was sent to the client",
            WebhookEvent::QuoteViewed => "the client opened a quote",
            WebhookEvent::QuoteAccepted => "the client accepted a quote",
            WebhookEvent::QuoteRejected => "the client rejected a quote",
            WebhookEvent::QuoteWon => "a quote was marked won",
            WebhookEvent::QuoteLost => "a quote was marked lost",
            WebhookEvent::QuoteExpiring => "a quote expires within 24 hours",
        }
    }
}

/// A webhook subscription as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    pub id: i64,
    /// `whk_…`, the id the API takes.
    pub public_id: String,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub active: bool,
    /// The secret its deliveries are signed with.
    pub secret: String,
    /// Deliveries given up in a row since the last one that arrived.
    pub consecutive_failures: i64,
    /// Why it was turned off, when the server turned it off.
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One delivery of a subscription's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDeliveryView {
    /// The delivery's UUID: the payload's `id` and the `X-Dealflow-Delivery` header.
    pub uuid: String,
    /// An event name, or [`TEST_EVENT`].
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Calls made so far.
    pub attempts: i64,
    /// The HTTP status of the last answer, if one came.
    pub response_code: Option<i64>,
    /// Why the last call did not deliver.
    pub error: Option<String>,
    pub test: bool,
    pub created_at: String,
    pub completed_at: Option<String>,
    /// When a pending delivery is tried next.
    pub next_attempt_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serde_names_and_round_trip() {
        for event in WebhookEvent::ALL {
            let json = serde_json::to_value(event).unwrap();
            assert_eq!(json, serde_json::json!(event.name()));
            assert_eq!(WebhookEvent::from_name(event.name()), Some(*event));
            let back: WebhookEvent = serde_json::from_value(json).unwrap();
            assert_eq!(back, *event);
        }
        assert_eq!(WebhookEvent::from_name("deal.nope"), None);
        assert_eq!(WebhookEvent::from_name(TEST_EVENT), None);
    }
}

//! Where webhook events enter. A service calls [`emit`] inside the transaction of the change
//! the event describes; each active subscription of the account that listens to the event
//! gets a delivery with the payload as the record is now (see `deliveries`). An event no
//! subscription listens to costs one indexed read.

use serde_json::Value;

use crate::domain::webhook::WebhookEvent;
use crate::domain::{AccountId, ActivityId, ContactId, DealId, OrganizationId, QuoteId, StageId};
use crate::server::db::{like_escape, Tx};
use crate::server::error::ServiceResult;

use super::{deliveries, payloads};

/// What an event is about, with what the record alone does not tell.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Deal {
        id: DealId,
        /// The stage a deal left (`deal.stage_changed`).
        previous_stage: Option<StageId>,
        /// What changed (`deal.updated`), as the deal's timeline records it.
        changes: Option<Value>,
    },
    Contact(ContactId),
    Organization(OrganizationId),
    Activity(ActivityId),
    Quote {
        id: QuoteId,
        /// The status a quote left.
        previous_status: Option<String>,
    },
}

impl Subject {
    /// A deal, with nothing more to tell.
    pub fn deal(id: DealId) -> Subject {
        Subject::Deal {
            id,
            previous_stage: None,
            changes: None,
        }
    }
}

/// The `LIKE` pattern that finds `event` in a subscription's `events` (a JSON array of names).
pub(crate) fn pattern(event: WebhookEvent) -> String {
    format!("%\"{}\"%", like_escape(event.name()))
}

/// SQL for the id of one active subscription of account `account` (a placeholder) listening
/// to the event whose [`pattern`] is bound at `pattern`, or NULL: for statements that fold the
/// question in (the deal timeline's insert, the board's move).
pub(crate) fn listener_subquery(account: &str, pattern: &str) -> String {
    format!(
        "(SELECT id FROM webhook_subscriptions WHERE account_id = {account} AND active = 1 \
         AND events LIKE {pattern} ESCAPE '\\' LIMIT 1)"
    )
}

/// Records `event` about `subject` for every active subscription of the account listening to
/// it, inside the caller's transaction. Nothing is recorded when none listens, or when the
/// record is not the account's.
pub async fn emit(
    tx: &mut Tx,
    account_id: AccountId,
    event: WebhookEvent,
    subject: Subject,
) -> ServiceResult<()> {
    let subscriptions: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM webhook_subscriptions WHERE account_id = $1 AND active = 1 \
         AND events LIKE $2 ESCAPE '\\' ORDER BY id",
    )
    .bind(account_id)
    .bind(pattern(event))
    .fetch_all(&mut **tx)
    .await?;
    if subscriptions.is_empty() {
        return Ok(());
    }
    let Some(data) = payloads::data(tx, account_id, &subject).await? else {
        return Ok(());
    };
    let ids: Vec<i64> = subscriptions.into_iter().map(|(id,)| id).collect();
    deliveries::enqueue(tx, account_id, &ids, event.name(), &data, false).await?;
    Ok(())
}

/// The webhook event of an automation trigger that [`crate::server::services::automations::events::emit`]
/// records (the quotes' events; deals' come from their timeline).
pub fn for_trigger(trigger: &str) -> Option<WebhookEvent> {
    Some(match trigger {
        "QUOTE_CREATED" => WebhookEvent::QuoteCreated,
        "QUOTE_SENT" => WebhookEvent::QuoteSent,
        "QUOTE_VIEWED" => WebhookEvent::QuoteViewed,
        "QUOTE_ACCEPTED" => WebhookEvent::QuoteAccepted,
        "QUOTE_REJECTED" => WebhookEvent::QuoteRejected,
        "QUOTE_WON" => WebhookEvent::QuoteWon,
        "QUOTE_LOST" => WebhookEvent::QuoteLost,
        "QUOTE_EXPIRING" => WebhookEvent::QuoteExpiring,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_names_only() {
        assert_eq!(
            pattern(WebhookEvent::DealStageChanged),
            "%\"deal.stage\\_changed\"%"
        );
        assert_eq!(pattern(WebhookEvent::DealWon), "%\"deal.won\"%");
    }

    #[test]
    fn every_quote_trigger_has_its_event() {
        for (trigger, _) in crate::domain::automation::TRIGGERS {
            if trigger.starts_with("QUOTE_") {
                assert!(for_trigger(trigger).is_some(), "{trigger}");
            } else {
                assert!(for_trigger(trigger).is_none(), "{trigger}");
            }
        }
    }
}

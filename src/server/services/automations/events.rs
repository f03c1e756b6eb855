//! Events that automations react to. A service emits one inside the transaction of the change
//! it describes; it becomes an `automation_event` job (only when the account has an active
//! automation on that trigger), which the worker evaluates (see `automation_runs`).

use crate::domain::{AccountId, DealId, QuoteId};
use crate::server::db::Tx;
use chrono::Utc;
use serde_json::{json, Value};

use crate::server::error::ServiceResult;

use crate::server::services::{jobs, webhooks};

/// Job kind of an event waiting to be evaluated.
pub const EVENT_JOB: &str = "automation_event";

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Quote(QuoteId),
    Deal(DealId),
}

/// Records that `trigger` happened to `subject`; `extra` carries what the record alone does
/// not tell (the previous stage of a move, the completed activity's type).
///
/// Deal events come from the deal's timeline (`deals::record_event`), so every path that
/// opens, moves, wins or loses a deal (pages, API, intake) emits them. A quote's event is
/// also its webhook event (`quote.sent`, …) for the subscriptions that listen.
pub async fn emit(
    tx: &mut Tx,
    account_id: AccountId,
    trigger: &str,
    subject: Subject,
    extra: Value,
) -> ServiceResult<()> {
    if let (Some(event), Subject::Quote(id)) = (webhooks::events::for_trigger(trigger), subject) {
        let previous_status = extra["from"].as_str().map(str::to_string);
        let about = webhooks::Subject::Quote {
            id,
            previous_status,
        };
        webhooks::emit(tx, account_id, event, about).await?;
    }
    if listening(tx, account_id, trigger).await? {
        record(tx, account_id, trigger, subject, extra).await?;
    }
    Ok(())
}

/// Whether the account has an active automation on `trigger` (an event nobody listens to is
/// not recorded).
pub async fn listening(tx: &mut Tx, account_id: AccountId, trigger: &str) -> ServiceResult<bool> {
    let (listener,): (Option<i64>,) =
        sqlx::query_as(&format!("SELECT {}", listener_subquery("$1", "$2")))
            .bind(account_id)
            .bind(trigger)
            .fetch_one(&mut **tx)
            .await?;
    Ok(listener.is_some())
}

/// The question [`listening`] asks as a scalar subquery (an automation's id, or NULL), with the
/// account and trigger taken from the placeholders named: for statements that fold it in.
pub(crate) fn listener_subquery(account: &str, trigger: &str) -> String {
    format!(
        "(SELECT id FROM automations WHERE account_id = {account} AND trigger_event = {trigger} \
         AND is_active = 1 LIMIT 1)"
    )
}

/// Records the event whether or not anyone listens (callers that checked [`listening`]).
pub async fn record(
    tx: &mut Tx,
    account_id: AccountId,
    trigger: &str,
    subject: Subject,
    extra: Value,
) -> ServiceResult<()> {
    let (quote_id, deal_id) = match subject {
        Subject::Quote(id) => (Some(id), None),
        Subject::Deal(id) => (None, Some(id)),
    };
    let payload = json!({
        "trigger": trigger,
        "quote_id": quote_id,
        "deal_id": deal_id,
        "extra": extra,
        "at": crate::server::db::now(),
    });
    jobs::enqueue(tx, Some(account_id), EVENT_JOB, &payload, Utc::now()).await?;
    Ok(())
}

//! A quote's status: sent to the client with the portal link, won, lost; each change is its
//! automation event and a line on the deal's timeline.

use crate::domain::money::format_money;
use crate::domain::quote::{
    can_mark_lost, can_mark_won, can_send, quote_label, status_word, QuoteDetail,
};
use crate::domain::{AccountId, DealId, Problem, QuoteId};
use crate::server::db::{self, Db, Tx};
use crate::server::delivery::mail;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::automations::events::{self, Subject};
use crate::server::services::deals::{record_event, EventKind};
use crate::server::services::Actor;

use super::read::get;

/// What a transition needs to know of a locked quote.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct Locked {
    pub(super) number: i64,
    pub(super) status: String,
    pub(super) deal_id: Option<DealId>,
}

/// Stamps `updated_at` as the transaction's first write (so concurrent changes of one quote
/// queue up) and reads the quote; "not found" for another account's quote.
pub(super) async fn lock_quote(
    tx: &mut Tx,
    account_id: AccountId,
    quote_id: QuoteId,
) -> ServiceResult<Locked> {
    let res = sqlx::query("UPDATE quotes SET updated_at = $1 WHERE id = $2 AND account_id = $3")
        .bind(db::now())
        .bind(quote_id)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    db::touched(res, "quote")?;
    Ok(
        sqlx::query_as("SELECT number, status, deal_id FROM quotes WHERE id = $1")
            .bind(quote_id)
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// [`lock_quote`] for a user of the account: a quote of a deal the actor may not see is "not
/// found" (see the deals' visibility rule).
pub(super) async fn lock_visible_quote(
    tx: &mut Tx,
    actor: Actor,
    quote_id: QuoteId,
) -> ServiceResult<Locked> {
    let q = lock_quote(tx, actor.account_id, quote_id).await?;
    check_deal_visible(&mut **tx, actor, q.deal_id).await?;
    Ok(q)
}

/// A quote is there for a user only when its deal is (none: always): "not found" otherwise.
pub(super) async fn check_deal_visible<'e, E>(
    ex: E,
    actor: Actor,
    deal_id: Option<DealId>,
) -> ServiceResult<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let Some(deal_id) = deal_id else {
        return Ok(());
    };
    crate::server::services::deals::find(ex, actor, deal_id)
        .await
        .map(|_| ())
        .map_err(|e| match e {
            ServiceError::NotFound(_) => ServiceError::NotFound("quote"),
            e => e,
        })
}

/// Moves a locked quote to `to` when `allowed` says its status may, with the event and the
/// deal's timeline entry.
pub(super) async fn transition(
    tx: &mut Tx,
    actor: Actor,
    quote_id: QuoteId,
    allowed: fn(&str) -> bool,
    to: &str,
) -> ServiceResult<Locked> {
    let q = lock_visible_quote(tx, actor, quote_id).await?;
    if !allowed(&q.status) {
        return Err(ServiceError::Conflict(format!(
            "quote {} is {}; it cannot be marked {}",
            quote_label(q.number),
            status_word(&q.status).to_lowercase(),
            status_word(to).to_lowercase()
        )));
    }
    sqlx::query("UPDATE quotes SET status = $1 WHERE id = $2 AND account_id = $3")
        .bind(to)
        .bind(quote_id)
        .bind(actor.account_id)
        .execute(&mut **tx)
        .await?;
    let trigger = format!("QUOTE_{to}");
    events::emit(
        tx,
        actor.account_id,
        &trigger,
        Subject::Quote(quote_id),
        serde_json::json!({ "from": q.status }),
    )
    .await?;
    if let Some(deal_id) = q.deal_id {
        let kind = EventKind::quote_reached(to).ok_or_else(|| {
            ServiceError::Internal(format!("no deal event for quote status {to}"))
        })?;
        let data = serde_json::json!({ "number": q.number });
        record_event(tx, actor, deal_id, kind, (None, None), data).await?;
    }
    Ok(q)
}

/// What the e-mail that sends a quote says.
#[derive(sqlx::FromRow)]
struct Mailing {
    token: String,
    currency: String,
    total: i64,
    valid_until: Option<String>,
    /// The account's name.
    seller: String,
    /// The contact's full name.
    client: Option<String>,
    email: Option<String>,
}

/// Sends a draft (or re-sends a sent quote) to the client by e-mail with the portal link
/// `{base_url}/q/{token}`; refused when the client has no e-mail address.
pub async fn send(
    db: &Db,
    actor: Actor,
    quote_id: QuoteId,
    base_url: &str,
) -> ServiceResult<QuoteDetail> {
    let mut tx = db.begin().await?;
    let q = lock_visible_quote(&mut tx, actor, quote_id).await?;
    if !can_send(&q.status) {
        return Err(ServiceError::Conflict(format!(
            "quote {} is {}; it can no longer be sent",
            quote_label(q.number),
            status_word(&q.status).to_lowercase()
        )));
    }
    let Mailing {
        token,
        currency,
        total,
        valid_until,
        seller,
        client,
        email,
    } = sqlx::query_as(
        "SELECT q.public_token AS token, q.currency, q.total_cents AS total, q.valid_until, \
         a.name AS seller, c.full_name AS client, c.email \
         FROM quotes q JOIN accounts a ON a.id = q.account_id LEFT JOIN contacts c ON c.id = q.contact_id \
         WHERE q.id = $1 AND q.account_id = $2",
    )
    .bind(quote_id)
    .bind(actor.account_id)
    .fetch_one(&mut *tx)
    .await?;
    let Some(email) = email
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
    else {
        return Err(ServiceError::invalid(
            "client_email",
            Problem::ClientWithoutEmail,
        ));
    };
    sqlx::query(
        "UPDATE quotes SET status = 'SENT', sent_at = $1 WHERE id = $2 AND account_id = $3",
    )
    .bind(db::now())
    .bind(quote_id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    let label = quote_label(q.number);
    let link = portal_url(base_url, &token);
    let greeting = client
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| "there".into());
    let validity = valid_until
        .map(|d| format!(", valid until {d}"))
        .unwrap_or_default();
    let body = format!(
        "Hello {greeting},\n\n{seller} sent you quote {label} for {}{validity}.\n\n\
         See it, and accept or reject it, here:\n{link}\n",
        format_money(total, &currency)
    );
    mail::queue(
        &mut tx,
        actor.account_id,
        &email,
        &format!("Quote {label} from {seller}"),
        &body,
    )
    .await?;
    events::emit(
        &mut tx,
        actor.account_id,
        "QUOTE_SENT",
        Subject::Quote(quote_id),
        serde_json::json!({}),
    )
    .await?;
    if let Some(deal_id) = q.deal_id {
        let data = serde_json::json!({ "number": q.number, "to": email });
        record_event(
            &mut tx,
            actor,
            deal_id,
            EventKind::QuoteSent,
            (None, None),
            data,
        )
        .await?;
    }
    tx.commit().await?;
    get(db, actor, quote_id).await
}

/// The portal address of a token.
pub fn portal_url(base_url: &str, token: &str) -> String {
    format!("{}/q/{token}", base_url.trim_end_matches('/'))
}

/// Marks a quote won (from draft, sent or accepted).
pub async fn mark_won(db: &Db, actor: Actor, quote_id: QuoteId) -> ServiceResult<QuoteDetail> {
    let mut tx = db.begin().await?;
    transition(&mut tx, actor, quote_id, can_mark_won, "WON").await?;
    tx.commit().await?;
    get(db, actor, quote_id).await
}

/// Marks a quote lost (from draft, sent, accepted or rejected).
pub async fn mark_lost(db: &Db, actor: Actor, quote_id: QuoteId) -> ServiceResult<QuoteDetail> {
    let mut tx = db.begin().await?;
    transition(&mut tx, actor, quote_id, can_mark_lost, "LOST").await?;
    tx.commit().await?;
    get(db, actor, quote_id).await
}

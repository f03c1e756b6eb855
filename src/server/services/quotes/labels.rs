//! Labels on quotes.

use crate::domain::quote::QuoteLabel;
use crate::domain::QuoteId;
use crate::server::db::Db;
use crate::server::error::ServiceResult;
use crate::server::services::Actor;

use super::status::lock_visible_quote;

/// Puts one of the account's labels on a quote (again is a no-op).
pub async fn add_label(
    db: &Db,
    actor: Actor,
    quote_id: QuoteId,
    label_id: i64,
) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    lock_visible_quote(&mut tx, actor, quote_id).await?;
    crate::server::services::deals::check_in_account(
        &mut *tx,
        "labels",
        label_id,
        actor.account_id,
        "label_id",
    )
    .await?;
    let present: Option<(i64,)> =
        sqlx::query_as("SELECT label_id FROM quote_labels WHERE quote_id = $1 AND label_id = $2")
            .bind(quote_id)
            .bind(label_id)
            .fetch_optional(&mut *tx)
            .await?;
    if present.is_none() {
        sqlx::query("INSERT INTO quote_labels (quote_id, label_id) VALUES ($1, $2)")
            .bind(quote_id)
            .bind(label_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes a label off a quote.
pub async fn remove_label(
    db: &Db,
    actor: Actor,
    quote_id: QuoteId,
    label_id: i64,
) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    lock_visible_quote(&mut tx, actor, quote_id).await?;
    sqlx::query("DELETE FROM quote_labels WHERE quote_id = $1 AND label_id = $2")
        .bind(quote_id)
        .bind(label_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The account's labels, by name.
pub async fn account_labels(db: &Db, actor: Actor) -> ServiceResult<Vec<QuoteLabel>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, color FROM labels WHERE account_id = $1 ORDER BY name, id",
    )
    .bind(actor.account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, color)| QuoteLabel { id, name, color })
        .collect())
}

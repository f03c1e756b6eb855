//! Notes on a deal: written by a user, pinned to the top of the deal's timeline when they
//! matter, deleted by their author or an owner/admin.

use crate::domain::deal::NoteItem;
use crate::domain::{AccountId, CurrentUser, DealId, NoteId, Problem, UserId};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::Actor;

use super::lock;

/// Longest note accepted.
pub const MAX_NOTE_LEN: usize = 10_000;

/// Adds a note to a deal; returns its id.
pub async fn add_note(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    content: &str,
) -> ServiceResult<NoteId> {
    let mut tx = db.begin().await?;
    let id = add(&mut tx, actor, deal_id, content, false).await?;
    tx.commit().await?;
    Ok(id)
}

/// Step: adds a note to a deal, pinned or not; returns its id.
pub(crate) async fn add(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    content: &str,
    pinned: bool,
) -> ServiceResult<NoteId> {
    let content = content.trim();
    if content.is_empty() {
        return Err(ServiceError::invalid("content", Problem::NotEmpty));
    }
    if content.chars().count() > MAX_NOTE_LEN {
        return Err(ServiceError::invalid(
            "content",
            Problem::TooLong { max: MAX_NOTE_LEN },
        ));
    }
    let now = db::now();
    lock(tx, actor, deal_id).await?;
    let (id,): (NoteId,) = sqlx::query_as(
        "INSERT INTO notes (account_id, deal_id, user_id, content, is_pinned, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(deal_id)
    .bind(actor.user_id)
    .bind(content)
    .bind(i64::from(pinned))
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// The notes of a deal the actor may see, newest first.
pub async fn list(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<Vec<NoteItem>> {
    super::find(&db.pool, actor, deal_id).await?;
    of_deal(db, actor.account_id, deal_id).await
}

/// The notes of a deal, newest first (its visibility checked by the caller).
pub(crate) async fn of_deal(
    db: &Db,
    account_id: AccountId,
    deal_id: DealId,
) -> ServiceResult<Vec<NoteItem>> {
    let rows: Vec<(NoteId, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT n.id, n.content, n.created_at, u.name, n.is_pinned FROM notes n LEFT JOIN users u ON u.id = n.user_id \
         WHERE n.deal_id = $1 AND n.account_id = $2 ORDER BY n.created_at DESC, n.id DESC",
    )
    .bind(deal_id)
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, content, at, user_name, pinned)| NoteItem {
            id,
            content,
            at,
            user_name,
            pinned: pinned != 0,
        })
        .collect())
}

/// Pins or unpins a note.
pub async fn set_pinned(db: &Db, actor: Actor, note_id: NoteId, pinned: bool) -> ServiceResult<()> {
    let res = sqlx::query(&format!(
        "UPDATE notes SET is_pinned = $1, updated_at = $2 WHERE id = $3 AND account_id = $4 \
         AND (deal_id IS NULL OR deal_id IN (SELECT d.id FROM deals d WHERE d.account_id = $4 AND {}))",
        super::visible_to("d", "$5")
    ))
    .bind(i64::from(pinned))
    .bind(db::now())
    .bind(note_id)
    .bind(actor.account_id)
    .bind(actor.user_id)
    .execute(&db.pool)
    .await?;
    db::touched(res, "note")
}

/// Deletes a note; only its author or an owner/admin may.
pub async fn delete_note(db: &Db, user: &CurrentUser, note_id: NoteId) -> ServiceResult<()> {
    delete_note_as(db, user.into(), user.role.can_configure(), note_id).await
}

/// Deletes a note for `actor`, who may delete other people's notes only when `moderates`
/// (an owner or admin, or a key with `config:manage`).
pub async fn delete_note_as(
    db: &Db,
    actor: Actor,
    moderates: bool,
    note_id: NoteId,
) -> ServiceResult<()> {
    let author: Option<(Option<UserId>,)> = sqlx::query_as(&format!(
        "SELECT n.user_id FROM notes n LEFT JOIN deals d ON d.id = n.deal_id \
         WHERE n.id = $1 AND n.account_id = $2 AND (n.deal_id IS NULL OR {})",
        super::visible_to("d", "$3")
    ))
    .bind(note_id)
    .bind(actor.account_id)
    .bind(actor.user_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((author,)) = author else {
        return Err(ServiceError::NotFound("note"));
    };
    if author.is_some_and(|a| Some(a) != actor.user_id) && !moderates {
        return Err(ServiceError::Forbidden(
            "only the note's author or an owner/admin may delete it".into(),
        ));
    }
    sqlx::query("DELETE FROM notes WHERE id = $1 AND account_id = $2")
        .bind(note_id)
        .bind(actor.account_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

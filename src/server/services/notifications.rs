//! In-app notifications for a user: created by services (and later by automations), listed in
//! the header bell, marked read by their owner only.

use crate::domain::{AccountId, Notification, UserId};
use crate::i18n::Locale;
use crate::server::db::{self, Db, Tx};
use crate::server::error::ServiceResult;

/// Notifies a user, inside the caller's transaction, with a title already written (an
/// automation's own words); the app's messages go through [`notify_message`].
pub async fn notify(
    tx: &mut Tx,
    account_id: AccountId,
    user_id: UserId,
    title: &str,
    link: Option<&str>,
) -> ServiceResult<()> {
    sqlx::query(
        "INSERT INTO notifications (account_id, user_id, title, link, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(account_id)
    .bind(user_id)
    .bind(title)
    .bind(link)
    .bind(db::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Notifies a user with one of the app's own messages, written by `message` in the user's
/// language (English when they chose none), e.g. `|l| i18n::t_args(l, "mail-reminder", …)`
/// with an id of `locales/<tag>/mail.ftl`.
pub async fn notify_message(
    tx: &mut Tx,
    account_id: AccountId,
    user_id: UserId,
    message: impl FnOnce(Locale) -> String,
    link: Option<&str>,
) -> ServiceResult<()> {
    let saved: Option<(Option<String>,)> = sqlx::query_as("SELECT locale FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    let locale = saved
        .and_then(|(l,)| l)
        .and_then(|l| Locale::parse(&l))
        .unwrap_or_default();
    notify(tx, account_id, user_id, &message(locale), link).await
}

/// `(id, title, link, read_at, created_at)`.
type NotificationRow = (i64, String, Option<String>, Option<String>, String);

/// A user's latest notifications (unread first) and their unread count.
pub async fn for_user(
    db: &Db,
    account_id: AccountId,
    user_id: UserId,
) -> ServiceResult<(Vec<Notification>, i64)> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT id, title, link, read_at, created_at FROM notifications WHERE account_id = $1 AND user_id = $2 \
         ORDER BY read_at IS NOT NULL, id DESC LIMIT 30",
    )
    .bind(account_id)
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    let (unread,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND user_id = $2 AND read_at IS NULL",
    )
    .bind(account_id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    let items = rows
        .into_iter()
        .map(|(id, title, link, read_at, created_at)| Notification {
            id,
            title,
            link,
            read: read_at.is_some(),
            created_at,
        })
        .collect();
    Ok((items, unread))
}

/// Marks one notification (or, with `None`, all of them) read for its owner.
pub async fn mark_read(
    db: &Db,
    account_id: AccountId,
    user_id: UserId,
    id: Option<i64>,
) -> ServiceResult<()> {
    let now = db::now();
    match id {
        Some(id) => {
            let res = sqlx::query(
                "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND account_id = $3 AND user_id = $4",
            )
            .bind(&now)
            .bind(id)
            .bind(account_id)
            .bind(user_id)
            .execute(&db.pool)
            .await?;
            db::touched(res, "notification")?;
        }
        None => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND user_id = $3 AND read_at IS NULL",
            )
            .bind(&now)
            .bind(account_id)
            .bind(user_id)
            .execute(&db.pool)
            .await?;
        }
    }
    Ok(())
}

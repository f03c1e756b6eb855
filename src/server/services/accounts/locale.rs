//! The language a user reads the app in, kept with the user so it follows them to every
//! browser (the request's cookie carries it between sign-ins; see `crate::i18n`).

use crate::domain::UserId;
use crate::i18n::Locale;
use crate::server::db::{self, Db};
use crate::server::error::ServiceResult;

/// The user's saved language, if they chose one.
pub async fn locale_of(db: &Db, user_id: UserId) -> ServiceResult<Option<Locale>> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT locale FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.and_then(|(l,)| l).and_then(|l| Locale::parse(&l)))
}

/// Saves the user's language.
pub async fn set_locale(db: &Db, user_id: UserId, locale: Locale) -> ServiceResult<()> {
    let res = sqlx::query("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
        .bind(locale.tag())
        .bind(db::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    db::touched(res, "user")
}

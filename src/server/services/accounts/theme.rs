//! The colour theme a user sees the app in, kept with the user so it follows them to every
//! browser (between sign-ins the browser's cookie carries it; see `crate::app::theme`).
//! `users.theme` is `light`, `dark`, or NULL for the system's setting.

use crate::app::theme::Theme;
use crate::domain::UserId;
use crate::server::db::{self, Db};
use crate::server::error::ServiceResult;

/// The user's saved theme: [`Theme::System`] when they chose none (or the stored value is not
/// one this version knows).
pub async fn theme_of(db: &Db, user_id: UserId) -> ServiceResult<Theme> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT theme FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row
        .and_then(|(t,)| t)
        .and_then(|t| Theme::parse(&t))
        .unwrap_or_default())
}

/// Saves the user's theme (NULL for [`Theme::System`]).
pub async fn set_theme(db: &Db, user_id: UserId, theme: Theme) -> ServiceResult<()> {
    let res = sqlx::query("UPDATE users SET theme = $1, updated_at = $2 WHERE id = $3")
        .bind(theme.stored().map(str::to_string))
        .bind(db::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    db::touched(res, "user")
}

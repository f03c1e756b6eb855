//! The user behind a browser session.

use tower_sessions::Session;

use super::session_store::{ACTIVE_USER_KEY, SESSION_USER_KEY};
use crate::domain::{CurrentUser, UserId};
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};

/// Loads the active user of this session, or `Unauthorized`.
pub async fn current_user(db: &Db, session: &Session) -> ServiceResult<CurrentUser> {
    let user_id: Option<UserId> = session
        .get(SESSION_USER_KEY)
        .await
        .map_err(|e| ServiceError::Internal(format!("session: {e}")))?;
    let Some(user_id) = user_id else {
        return Err(ServiceError::Unauthorized);
    };
    // Loading the session read its active user (see `session_store`); a session signed in
    // during this request, or saved before sessions named their user, reads them here.
    let loaded: Option<CurrentUser> = session.get(ACTIVE_USER_KEY).await.ok().flatten();
    let user = match loaded.filter(|u| u.id == user_id) {
        Some(user) => user,
        None => load_user(db, user_id)
            .await?
            .ok_or(ServiceError::Unauthorized)?,
    };
    tracing::Span::current().record("account_id", user.account_id.0);
    Ok(user)
}

/// Loads an active user by id.
pub async fn load_user(db: &Db, user_id: UserId) -> ServiceResult<Option<CurrentUser>> {
    let user: Option<CurrentUser> = sqlx::query_as(
        "SELECT u.id, u.account_id, a.name AS account_name, u.email, u.name, u.role, u.time_zone \
         FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = $1 AND u.active = 1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(user)
}

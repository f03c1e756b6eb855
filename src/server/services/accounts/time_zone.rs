//! The time zone a user reads and types times in, kept with the user (see
//! `crate::server::time_zone`).

use crate::domain::UserId;
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::time_zone;

/// Saves the user's time zone: an IANA name (`America/Sao_Paulo`), or empty for UTC. Answers
/// the zone's name as saved (`None`: UTC).
pub async fn set_time_zone(db: &Db, user_id: UserId, name: &str) -> ServiceResult<Option<String>> {
    let name = name.trim();
    let zone = if name.is_empty() {
        None
    } else {
        let zone = time_zone::parse(name).ok_or_else(|| {
            ServiceError::invalid(
                "time_zone",
                "is not a time zone (an IANA name such as America/Sao_Paulo)",
            )
        })?;
        Some(zone.name().to_string())
    };
    let res = sqlx::query("UPDATE users SET time_zone = $1, updated_at = $2 WHERE id = $3")
        .bind(&zone)
        .bind(db::now())
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    db::touched(res, "user")?;
    Ok(zone)
}

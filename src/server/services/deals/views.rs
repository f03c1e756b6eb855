//! Saved views of the deal table: a name for the table's query (filters, columns, order),
//! kept by its author or shared with the account. The board opens the same views with the
//! filters a board has. A view's query is read and checked as the table reads it before it is
//! kept, so a saved view always opens.

use crate::domain::deal_table::{SavedView, TableQuery};
use crate::domain::{BoardFilter, Problem, UserId};
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::Actor;

use super::table::{parse_query, Table};

/// Longest name, in characters.
pub const MAX_NAME: usize = 80;
/// Views one user may keep.
pub const MAX_PER_USER: i64 = 100;
/// Longest query kept, in bytes.
const MAX_QUERY: usize = 4000;

/// Where a view's query opens on the board.
fn board_href(query: &TableQuery) -> String {
    let filter = BoardFilter {
        owner: query.owner.trim().parse().ok().map(UserId),
        // The table shows every status unless told otherwise; so does the view on the board.
        status: Some(match query.status.trim() {
            "" => "all".to_string(),
            s => s.to_string(),
        }),
        min_value: Some(query.min_value.clone()).filter(|v| !v.trim().is_empty()),
        max_value: Some(query.max_value.clone()).filter(|v| !v.trim().is_empty()),
        q: Some(query.q.clone()).filter(|v| !v.trim().is_empty()),
    };
    match query.pipeline.trim() {
        "" => format!("/?{}", filter.to_query()),
        p => format!("/pipelines/{p}?{}", filter.to_query()),
    }
}

/// The views the actor sees: their own and those shared in the account, by name.
pub async fn list(db: &Db, actor: Actor) -> ServiceResult<Vec<SavedView>> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, name, query, shared, user_id FROM deal_views \
         WHERE account_id = $1 AND (user_id = $2 OR shared = 1) ORDER BY LOWER(name), id",
    )
    .bind(actor.account_id)
    .bind(actor.user_id.map(i64::from).unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, query, shared, user_id)| {
            let parsed = parse_query(&query);
            SavedView {
                id,
                name,
                shared: shared != 0,
                mine: actor.user_id.map(i64::from) == Some(user_id),
                table_href: format!("/deals?{query}"),
                board_href: board_href(&parsed),
            }
        })
        .collect())
}

/// Keeps the table's `query` (a URL query string; its page is dropped) as a view named
/// `name`, the actor's own or `shared` with the account; answers its id.
pub async fn save(
    db: &Db,
    actor: Actor,
    name: &str,
    query: &str,
    shared: bool,
) -> ServiceResult<i64> {
    let user = actor
        .user_id
        .ok_or_else(|| ServiceError::Forbidden("views belong to a user".into()))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ServiceError::invalid("name", Problem::Required));
    }
    if name.chars().count() > MAX_NAME {
        return Err(ServiceError::invalid(
            "name",
            Problem::TooLong { max: MAX_NAME },
        ));
    }
    if query.len() > MAX_QUERY {
        return Err(ServiceError::invalid(
            "query",
            Problem::TooLong { max: MAX_QUERY },
        ));
    }
    let parsed = parse_query(query);
    Table::parse(&parsed)?;
    let kept = parsed.to_query_with(&parsed.sort, &parsed.dir, "");
    let mut tx = db.begin().await?;
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM deal_views WHERE account_id = $1 AND user_id = $2")
            .bind(actor.account_id)
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
    if count >= MAX_PER_USER {
        return Err(ServiceError::invalid(
            "name",
            format!("you keep {MAX_PER_USER} views already; delete one first"),
        ));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO deal_views (account_id, user_id, name, query, shared, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(user)
    .bind(name)
    .bind(&kept)
    .bind(i64::from(shared))
    .bind(db::now())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes a view of the actor's own ("not found" for anyone else's).
pub async fn delete(db: &Db, actor: Actor, id: i64) -> ServiceResult<()> {
    let res =
        sqlx::query("DELETE FROM deal_views WHERE id = $1 AND account_id = $2 AND user_id = $3")
            .bind(id)
            .bind(actor.account_id)
            .bind(actor.user_id.map(i64::from).unwrap_or(0))
            .execute(&db.pool)
            .await?;
    db::touched(res, "view")
}

//! Activities as CSV: what the activities list shows with its filters (whose, kind, due
//! between), every one of them, one row each; times in UTC (ISO 8601).

use crate::server::db::Db;
use crate::server::error::ServiceResult;
use crate::server::services::activities::{self, ActivityFilter};
use crate::server::services::Actor;

use super::Sheet;

/// The activities of a list filter.
pub struct ActivitySheet {
    db: Db,
    actor: Actor,
    filter: ActivityFilter,
}

impl ActivitySheet {
    /// The sheet of `filter`, refused (naming the field) when a value cannot be read.
    pub fn prepare(db: &Db, actor: Actor, filter: ActivityFilter) -> ServiceResult<Self> {
        activities::check_filter(&filter)?;
        Ok(Self {
            db: db.clone(),
            actor,
            filter,
        })
    }
}

#[async_trait::async_trait]
impl Sheet for ActivitySheet {
    fn columns(&self) -> &'static [&'static str] {
        &[
            "id",
            "kind",
            "title",
            "due_at",
            "done_at",
            "deal",
            "user",
            "description",
        ]
    }

    async fn rows(&self, after: i64, limit: i64) -> ServiceResult<Vec<(i64, Vec<String>)>> {
        let items =
            activities::items_after(&self.db, self.actor, &self.filter, after, limit).await?;
        Ok(items
            .into_iter()
            .map(|a| {
                (
                    a.id.0,
                    vec![
                        a.id.to_string(),
                        a.kind,
                        a.title,
                        a.due_at
                            .as_deref()
                            .map(crate::server::db::api_ts)
                            .unwrap_or_default(),
                        a.done_at
                            .as_deref()
                            .map(crate::server::db::api_ts)
                            .unwrap_or_default(),
                        a.deal_title.unwrap_or_default(),
                        a.user_name.unwrap_or_default(),
                        a.description,
                    ],
                )
            })
            .collect())
    }
}

//! Contacts and organizations as CSV: what their lists find for a search, one row each.

use crate::domain::search::bounded;
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::{contacts, organizations, Actor};

use super::Sheet;

/// The contacts the contacts list finds for `search`.
pub struct ContactSheet {
    db: Db,
    actor: Actor,
    search: String,
}

impl ContactSheet {
    /// The sheet of `search`, refused (naming `q`) when the search is too long.
    pub fn prepare(db: &Db, actor: Actor, search: String) -> ServiceResult<Self> {
        checked(&search)?;
        Ok(Self {
            db: db.clone(),
            actor,
            search,
        })
    }
}

/// A list's search as the lists take it, or why not.
fn checked(search: &str) -> ServiceResult<()> {
    bounded(search)
        .map(|_| ())
        .map_err(|p| ServiceError::invalid("q", p))
}

#[async_trait::async_trait]
impl Sheet for ContactSheet {
    fn columns(&self) -> &'static [&'static str] {
        &["id", "name", "email", "phone", "organization", "open_deals"]
    }

    async fn rows(&self, after: i64, limit: i64) -> ServiceResult<Vec<(i64, Vec<String>)>> {
        let found =
            contacts::summaries_after(&self.db, self.actor, &self.search, after, limit).await?;
        Ok(found
            .into_iter()
            .map(|c| {
                (
                    c.id.0,
                    vec![
                        c.id.to_string(),
                        c.full_name,
                        c.email.unwrap_or_default(),
                        c.phone.unwrap_or_default(),
                        c.organization_name.unwrap_or_default(),
                        c.open_deals.to_string(),
                    ],
                )
            })
            .collect())
    }
}

/// The organizations the organizations list finds for `search`.
pub struct OrganizationSheet {
    db: Db,
    actor: Actor,
    search: String,
}

impl OrganizationSheet {
    /// The sheet of `search`, refused (naming `q`) when the search is too long.
    pub fn prepare(db: &Db, actor: Actor, search: String) -> ServiceResult<Self> {
        checked(&search)?;
        Ok(Self {
            db: db.clone(),
            actor,
            search,
        })
    }
}

#[async_trait::async_trait]
impl Sheet for OrganizationSheet {
    fn columns(&self) -> &'static [&'static str] {
        &["id", "name", "contacts", "open_deals"]
    }

    async fn rows(&self, after: i64, limit: i64) -> ServiceResult<Vec<(i64, Vec<String>)>> {
        let found =
            organizations::summaries_after(&self.db, self.actor, &self.search, after, limit)
                .await?;
        Ok(found
            .into_iter()
            .map(|o| {
                (
                    o.id.0,
                    vec![
                        o.id.to_string(),
                        o.name,
                        o.contacts.to_string(),
                        o.open_deals.to_string(),
                    ],
                )
            })
            .collect())
    }
}

//! The audit log as CSV: the rows its page shows under the same filter, oldest first.

use crate::domain::AccountId;
use crate::server::db::Db;
use crate::server::error::ServiceResult;
use crate::server::services::audit::{self, AuditFilter};
use crate::server::services::MayConfigure;

use super::Sheet;

/// The log of an account under a filter.
pub struct AuditSheet {
    db: Db,
    account_id: AccountId,
    filter: AuditFilter,
}

impl AuditSheet {
    /// The sheet of the account of `by` (owners and admins, `config:manage` keys).
    pub fn prepare(db: &Db, by: impl MayConfigure, filter: AuditFilter) -> ServiceResult<Self> {
        let by = by.configurer()?;
        Ok(AuditSheet {
            db: db.clone(),
            account_id: by.account_id(),
            filter,
        })
    }
}

#[async_trait::async_trait]
impl Sheet for AuditSheet {
    fn columns(&self) -> &'static [&'static str] {
        &[
            "id", "at", "actor", "api_key", "action", "subject", "detail", "address",
        ]
    }

    async fn rows(&self, after: i64, limit: i64) -> ServiceResult<Vec<(i64, Vec<String>)>> {
        let rows = audit::rows_after(&self.db, self.account_id, &self.filter, after, limit).await?;
        Ok(rows
            .into_iter()
            .map(|e| {
                (
                    e.id,
                    vec![
                        e.id.to_string(),
                        e.at,
                        e.actor,
                        e.api_key.unwrap_or_default(),
                        e.action.as_str().to_string(),
                        e.subject,
                        e.detail.unwrap_or_default(),
                        e.address.unwrap_or_default(),
                    ],
                )
            })
            .collect())
    }
}

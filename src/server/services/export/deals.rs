//! Deals as CSV, one row each: the deals a board shows (its pipeline and filters), or those
//! the deal table shows (every pipeline, its filters).

use crate::domain::deal_table::TableQuery;
use crate::domain::{BoardFilter, PipelineId};
use crate::server::db::{Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::deals::board::{chosen, Filter, DEAL_JOINS};
use crate::server::services::deals::table::{Table, FROM as TABLE_FROM};
use crate::server::services::deals::{push_visible, sees_all as sees_all_deals};
use crate::server::services::{pipelines, Actor};
use tokio::sync::OnceCell;

use super::{decimal, Sheet};

/// The header line's columns.
pub const COLUMNS: &[&str] = &[
    "id",
    "title",
    "pipeline",
    "stage",
    "status",
    "value",
    "currency",
    "expected_close_date",
    "contact",
    "organization",
    "owner",
];

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    pipeline: String,
    stage: String,
    status: String,
    value_cents: i64,
    currency: String,
    expected_close_date: Option<String>,
    contact: Option<String>,
    organization: Option<String>,
    owner: Option<String>,
}

/// Appends the visibility rule, unless the actor sees every deal (asked once per sheet).
async fn visible(
    q: &mut SqlBuilder,
    db: &Db,
    actor: Actor,
    sees_all: &OnceCell<bool>,
) -> ServiceResult<()> {
    if !*sees_all
        .get_or_try_init(|| sees_all_deals(db, actor))
        .await?
    {
        push_visible(q, "d", actor);
    }
    Ok(())
}

/// The deals of one board with its filters.
pub struct DealSheet {
    db: Db,
    actor: Actor,
    pipeline_id: PipelineId,
    filter: Filter,
    sees_all: OnceCell<bool>,
}

impl DealSheet {
    /// The board of `pipeline_id` (or the primary pipeline) with `filter`.
    pub async fn prepare(
        db: &Db,
        actor: Actor,
        pipeline_id: Option<PipelineId>,
        filter: &BoardFilter,
    ) -> ServiceResult<Self> {
        let filter = Filter::parse(filter)?;
        let all = pipelines::list_pipelines(db, actor.account_id).await?;
        Ok(Self {
            db: db.clone(),
            actor,
            pipeline_id: chosen(&all, pipeline_id)?.id,
            filter,
            sees_all: OnceCell::new(),
        })
    }
}

/// The columns of [`COLUMNS`], as both sheets select them.
const SELECT: &str = "SELECT d.id, d.title, p.name AS pipeline, s.name AS stage, d.status, d.value_cents, \
     d.currency, d.expected_close_date, c.full_name AS contact, o.name AS organization, u.name AS owner";

impl Row {
    fn cells(self) -> (i64, Vec<String>) {
        (
            self.id,
            vec![
                self.id.to_string(),
                self.title,
                self.pipeline,
                self.stage,
                self.status,
                decimal(self.value_cents),
                self.currency,
                self.expected_close_date.unwrap_or_default(),
                self.contact.unwrap_or_default(),
                self.organization.unwrap_or_default(),
                self.owner.unwrap_or_default(),
            ],
        )
    }
}

/// The deals of the deal table with its filters (its order and columns aside: every matching
/// deal once, in id order, with the columns above).
pub struct TableSheet {
    db: Db,
    actor: Actor,
    table: Table,
    sees_all: OnceCell<bool>,
}

impl TableSheet {
    /// The table of `query`, refused (naming the field) when a filter cannot be read.
    pub fn prepare(db: &Db, actor: Actor, query: &TableQuery) -> ServiceResult<Self> {
        Ok(Self {
            db: db.clone(),
            actor,
            table: Table::parse(query)?,
            sees_all: OnceCell::new(),
        })
    }
}

#[async_trait::async_trait]
impl Sheet for TableSheet {
    fn columns(&self) -> &'static [&'static str] {
        COLUMNS
    }

    async fn rows(&self, after: i64, limit: i64) -> ServiceResult<Vec<(i64, Vec<String>)>> {
        let mut q = SqlBuilder::new(&format!("{SELECT} {TABLE_FROM}"));
        q.bind_int(self.actor.account_id);
        visible(&mut q, &self.db, self.actor, &self.sees_all).await?;
        self.table.push_filters(&mut q);
        q.push(" AND d.id > ").bind_int(after);
        q.push(" ORDER BY d.id LIMIT ").bind_int(limit);
        let rows: Vec<Row> = q.query_as().fetch_all(&self.db.pool).await?;
        Ok(rows.into_iter().map(Row::cells).collect())
    }
}

#[async_trait::async_trait]
impl Sheet for DealSheet {
    fn columns(&self) -> &'static [&'static str] {
        COLUMNS
    }

    async fn rows(&self, after: i64, limit: i64) -> ServiceResult<Vec<(i64, Vec<String>)>> {
        let mut q = SqlBuilder::new(&format!(
            "{SELECT} {DEAL_JOINS} JOIN pipelines p ON p.id = d.pipeline_id WHERE d.account_id = "
        ));
        q.bind_int(self.actor.account_id);
        visible(&mut q, &self.db, self.actor, &self.sees_all).await?;
        q.push(" AND d.pipeline_id = ").bind_int(self.pipeline_id);
        self.filter.push(&mut q);
        q.push(" AND d.id > ").bind_int(after);
        q.push(" ORDER BY d.id LIMIT ").bind_int(limit);
        let rows: Vec<Row> = q.query_as().fetch_all(&self.db.pool).await?;
        Ok(rows.into_iter().map(Row::cells).collect())
    }
}

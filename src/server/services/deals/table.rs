//! The deal table (`/deals`): every deal of the account that the actor may see, open, won or
//! lost, filtered, ordered by any sortable column and read a page at a time. The query is read
//! and checked once ([`Table::parse`]): a bad value is refused naming its field.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::deal_table::{Column, TablePage, TableQuery, TableRow};
use crate::domain::money::parse_amount;
use crate::domain::search::{bounded, contains_pattern};
use crate::domain::{dates, DealId, DealStatus, Problem};
use crate::server::db::{Cursor, Db, Listing, Seek, SqlBuilder, Start};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::Actor;

use super::push_visible;

/// The table's query of a URL query string.
pub fn parse_query(query: &str) -> TableQuery {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
    TableQuery::from_query(
        |k| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        },
        |k| {
            pairs
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .collect()
        },
    )
}

/// Rows a page.
pub const PER_PAGE: i64 = 50;

/// The table's query, read: every filter typed, the columns, the order and the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    status: Option<DealStatus>,
    pipeline: Option<i64>,
    stage: Option<i64>,
    owner: Option<i64>,
    min_cents: Option<i64>,
    max_cents: Option<i64>,
    created_from: Option<NaiveDate>,
    created_to: Option<NaiveDate>,
    close_from: Option<NaiveDate>,
    close_to: Option<NaiveDate>,
    tag: Option<i64>,
    lead_source: Option<i64>,
    pattern: Option<String>,
    pub columns: Vec<Column>,
    pub sort: Column,
    pub descending: bool,
    pub page: i64,
    /// Where the page starts, when it was asked for by the previous page's cursor.
    pub after: Option<Cursor>,
}

fn given(v: &str) -> Option<&str> {
    Some(v.trim()).filter(|v| !v.is_empty())
}

fn id(field: &'static str, v: &str) -> ServiceResult<Option<i64>> {
    given(v)
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                ServiceError::invalid(
                    field,
                    Problem::NotANumber {
                        value: v.to_string(),
                    },
                )
            })
        })
        .transpose()
}

fn day(field: &'static str, v: &str) -> ServiceResult<Option<NaiveDate>> {
    given(v)
        .map(|v| {
            dates::parse_date(v).ok_or_else(|| {
                ServiceError::invalid(
                    field,
                    Problem::NotADate {
                        value: v.to_string(),
                    },
                )
            })
        })
        .transpose()
}

fn cents(field: &'static str, v: &str) -> ServiceResult<Option<i64>> {
    given(v)
        .map(|v| parse_amount(v).map_err(|p| ServiceError::invalid(field, p)))
        .transpose()
}

impl Table {
    /// Reads `query`; every deal (any status) of every pipeline, newest first, the default
    /// columns and page 1 where it says nothing.
    pub fn parse(query: &TableQuery) -> ServiceResult<Self> {
        let status = match given(&query.status) {
            None | Some("all") => None,
            Some(s) => Some(s.parse().map_err(|_| {
                ServiceError::invalid("status", Problem::one_of(&["open", "won", "lost", "all"]))
            })?),
        };
        let mut columns = Vec::new();
        for key in &query.cols {
            let column = Column::parse(key).ok_or_else(|| {
                ServiceError::invalid("cols", Problem::one_of(&Column::ALL.map(Column::key)))
            })?;
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
        if columns.is_empty() {
            columns = Column::DEFAULT.to_vec();
        }
        let sort = match given(&query.sort) {
            None => Column::Created,
            Some(key) => Column::parse(key).filter(|c| c.sortable()).ok_or_else(|| {
                let sortable: Vec<&str> = Column::ALL
                    .into_iter()
                    .filter(|c| c.sortable())
                    .map(Column::key)
                    .collect();
                ServiceError::invalid("sort", Problem::one_of(&sortable))
            })?,
        };
        let descending = match given(&query.dir) {
            // Newest first by default; other columns read from the top.
            None => given(&query.sort).is_none(),
            Some("asc") => false,
            Some("desc") => true,
            Some(_) => {
                return Err(ServiceError::invalid(
                    "dir",
                    Problem::one_of(&["asc", "desc"]),
                ))
            }
        };
        let page = match given(&query.page) {
            None => 1,
            Some(p) => p.parse::<i64>().ok().filter(|p| *p >= 1).ok_or_else(|| {
                ServiceError::invalid(
                    "page",
                    Problem::NotANumber {
                        value: p.to_string(),
                    },
                )
            })?,
        };
        let after = Cursor::read("after", Some(&query.after))?;
        let page = after.as_ref().map_or(page, |a| a.page);
        Ok(Table {
            after,
            status,
            pipeline: id("pipeline", &query.pipeline)?,
            stage: id("stage", &query.stage)?,
            owner: id("owner", &query.owner)?,
            min_cents: cents("min_value", &query.min_value)?,
            max_cents: cents("max_value", &query.max_value)?,
            created_from: day("created_from", &query.created_from)?,
            created_to: day("created_to", &query.created_to)?,
            close_from: day("close_from", &query.close_from)?,
            close_to: day("close_to", &query.close_to)?,
            tag: id("tag", &query.tag)?,
            lead_source: id("lead_source", &query.lead_source)?,
            pattern: contains_pattern(
                bounded(&query.q).map_err(|p| ServiceError::invalid("q", p))?,
            ),
            columns,
            sort,
            descending,
            page,
        })
    }

    /// Appends the filters to a query over [`FROM`].
    pub(crate) fn push_filters(&self, q: &mut SqlBuilder) {
        if let Some(status) = self.status {
            q.push(" AND d.status = ").bind_text(status.as_str());
        }
        for (column, value) in [
            ("d.pipeline_id", self.pipeline),
            ("d.stage_id", self.stage),
            ("d.responsible_user_id", self.owner),
            ("d.lead_source_id", self.lead_source),
        ] {
            if let Some(v) = value {
                q.push(&format!(" AND {column} = ")).bind_int(v);
            }
        }
        if let Some(min) = self.min_cents {
            q.push(" AND d.value_cents >= ").bind_int(min);
        }
        if let Some(max) = self.max_cents {
            q.push(" AND d.value_cents <= ").bind_int(max);
        }
        if let Some(from) = self.created_from {
            q.push(" AND d.created_at >= ")
                .bind_text(format!("{from}T00:00:00.000000Z"));
        }
        if let Some(to) = self.created_to {
            q.push(" AND d.created_at <= ")
                .bind_text(format!("{to}T23:59:59.999999Z"));
        }
        if let Some(from) = self.close_from {
            q.push(" AND d.expected_close_date >= ")
                .bind_text(from.to_string());
        }
        if let Some(to) = self.close_to {
            q.push(" AND d.expected_close_date <= ")
                .bind_text(to.to_string());
        }
        if let Some(tag) = self.tag {
            q.push(
                " AND EXISTS (SELECT 1 FROM deal_tags dt WHERE dt.deal_id = d.id AND dt.tag_id = ",
            )
            .bind_int(tag)
            .push(")");
        }
        if let Some(pattern) = &self.pattern {
            let p = q.placeholder(crate::server::db::Arg::Text(Some(pattern.clone())));
            q.push(&format!(
                " AND (d.title_key LIKE {p} ESCAPE '\\' OR COALESCE(c.name_key, '') LIKE {p} ESCAPE '\\' \
                 OR COALESCE(o.name_key, '') LIKE {p} ESCAPE '\\')"
            ));
        }
    }

    /// Whether no filter narrows the table (every deal the actor sees).
    fn filter_free(&self) -> bool {
        self.status.is_none()
            && [
                self.pipeline,
                self.stage,
                self.owner,
                self.min_cents,
                self.max_cents,
                self.tag,
                self.lead_source,
            ]
            .iter()
            .all(Option::is_none)
            && [
                self.created_from,
                self.created_to,
                self.close_from,
                self.close_to,
            ]
            .iter()
            .all(Option::is_none)
            && self.pattern.is_none()
    }

    /// The SQL a column orders by.
    fn order_by(column: Column) -> &'static str {
        match column {
            Column::Title => "d.title_key",
            Column::Pipeline => "p.name",
            Column::Stage => "s.name",
            Column::Status => "d.status",
            Column::Value => "d.value_cents",
            Column::Owner => "u.name",
            Column::Contact => "c.name_key",
            Column::Organization => "o.name_key",
            Column::ExpectedClose => "d.expected_close_date",
            Column::LeadSource => "ls.name",
            Column::Created | Column::Tags => "d.created_at",
            Column::Updated => "d.updated_at",
        }
    }
}

/// A deal with what the table shows beside it: `deals d`, `pipelines p`, `stages s`,
/// `contacts c`, `organizations o`, `users u`, `lead_sources ls`; ends in the account's `=`.
pub(crate) const FROM: &str = "FROM deals d JOIN pipelines p ON p.id = d.pipeline_id JOIN stages s ON s.id = d.stage_id \
     LEFT JOIN contacts c ON c.id = d.contact_id LEFT JOIN organizations o ON o.id = d.organization_id \
     LEFT JOIN users u ON u.id = d.responsible_user_id LEFT JOIN lead_sources ls ON ls.id = d.lead_source_id \
     WHERE d.account_id = ";

#[derive(sqlx::FromRow)]
struct Row {
    id: DealId,
    title: String,
    pipeline: String,
    stage: String,
    status: String,
    value_cents: i64,
    currency: String,
    owner: Option<String>,
    contact: Option<String>,
    organization: Option<String>,
    expected_close_date: Option<String>,
    lead_source: Option<String>,
    created_at: String,
    updated_at: String,
}

/// Whether the SQL `column` orders by is a deal's column that is never empty.
fn never_empty(column: Column) -> bool {
    matches!(
        column,
        Column::Status | Column::Value | Column::Tags | Column::Created | Column::Updated
    )
}

/// Whether `column` orders by the deal's own columns (no joined table).
fn on_deal(column: Column) -> bool {
    never_empty(column) || matches!(column, Column::Title | Column::ExpectedClose)
}

/// The page of the table `query` asks for.
pub async fn page(db: &Db, actor: Actor, query: &TableQuery) -> ServiceResult<TablePage> {
    let table = Table::parse(query)?;
    let by = Table::order_by(table.sort);
    let dir = if table.descending { "DESC" } else { "ASC" };
    // Empty values last either way, on both databases; ties in id order. A column that is
    // never empty orders plainly, so that an index can serve it.
    let order = if never_empty(table.sort) {
        format!("{by} {dir}, d.id {dir}")
    } else {
        format!("({by} IS NULL), {by} {dir}, d.id {dir}")
    };
    let count = format!("SELECT COUNT(*) {FROM}");
    let select = format!(
        "SELECT d.id, d.title, p.name AS pipeline, s.name AS stage, d.status, d.value_cents, d.currency, \
         u.name AS owner, c.full_name AS contact, o.name AS organization, d.expected_close_date, \
         ls.name AS lead_source, d.created_at, d.updated_at {FROM}"
    );
    // The page's deals are read from the deals alone when nothing joined decides them.
    let keys = (table.pattern.is_none() && on_deal(table.sort))
        .then_some(("d.id", "SELECT d.id FROM deals d WHERE d.account_id = "));
    let listing = Listing {
        count: &count,
        select: &select,
        order: &order,
        keys,
        total: super::count_all(db, actor, table.filter_free()).await?,
        // A page after a cursor where the deals alone decide the order and it has no empty
        // values.
        seek: (keys.is_some() && never_empty(table.sort)).then_some(Seek {
            sort: by,
            key: "d.id",
            descending: table.descending,
        }),
    };
    let numeric = table.sort == Column::Value;
    let start = match (&table.after, listing.seek) {
        (Some(after), Some(_)) if numeric => after.start_numeric(),
        (Some(after), Some(_)) => Some(after.start()),
        _ => None,
    }
    .unwrap_or(Start::Page(table.page));
    let filter = |q: &mut SqlBuilder| {
        push_visible(q, "d", actor);
        table.push_filters(q);
        Ok(())
    };
    let (rows, total): (Vec<Row>, i64) = listing
        .page_from(db, actor.account_id, filter, &start, PER_PAGE)
        .await?;
    let next = listing
        .seek
        .and_then(|_| {
            Cursor::after(&rows, table.page, PER_PAGE, total, |last| {
                let sort = match table.sort {
                    Column::Value => last.value_cents.to_string(),
                    Column::Status => last.status.clone(),
                    Column::Updated => last.updated_at.clone(),
                    _ => last.created_at.clone(),
                };
                (sort, last.id.0)
            })
        })
        .map(|c| c.encode());
    let mut tags = tags_of(db, rows.iter().map(|r| r.id)).await?;
    Ok(TablePage {
        rows: rows
            .into_iter()
            .map(|r| TableRow {
                tags: tags.remove(&r.id).unwrap_or_default(),
                id: r.id,
                title: r.title,
                pipeline: r.pipeline,
                stage: r.stage,
                status: r.status.parse().unwrap_or(DealStatus::Open),
                value_cents: r.value_cents,
                currency: r.currency,
                owner: r.owner,
                contact: r.contact,
                organization: r.organization,
                expected_close_date: r.expected_close_date,
                lead_source: r.lead_source,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect(),
        total,
        page: table.page,
        per_page: PER_PAGE,
        columns: table.columns,
        sort: table.sort,
        descending: table.descending,
        next,
    })
}

/// The tag names of `deals`, by deal, in name order.
async fn tags_of(
    db: &Db,
    deals: impl Iterator<Item = DealId>,
) -> ServiceResult<HashMap<DealId, Vec<String>>> {
    let ids: Vec<DealId> = deals.collect();
    let mut out: HashMap<DealId, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut q = SqlBuilder::new(
        "SELECT dt.deal_id, t.name FROM deal_tags dt JOIN tags t ON t.id = dt.tag_id WHERE dt.deal_id IN (",
    );
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind_int(*id);
    }
    q.push(") ORDER BY t.name");
    let rows: Vec<(DealId, String)> = q.query_as().fetch_all(&db.pool).await?;
    for (deal, name) in rows {
        out.entry(deal).or_default().push(name);
    }
    Ok(out)
}

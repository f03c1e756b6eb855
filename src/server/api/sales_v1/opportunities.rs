//! Deals as the sales API (`/v1`) lists them: filtered by stage key, assignee, value range and
//! status, a page at a time, with the stage's key and probability and the public ids of the
//! contact and the responsible user.

use crate::domain::money::parse_amount;
use crate::domain::DealId;
use crate::server::db::{Cursor, Db, Listing, Seek, SqlBuilder, Start};
use crate::server::error::{ServiceError, ServiceResult};

use crate::server::services::{deals, Actor};

pub use crate::server::api::{DEFAULT_PER_PAGE, MAX_PER_PAGE};

/// Which opportunities a list shows; every text is as the query string gave it.
#[derive(Debug, Clone, Default)]
pub struct OpportunityQuery {
    pub page: Option<String>,
    /// A `next_cursor` of an earlier page: the page after it (instead of `page`).
    pub cursor: Option<String>,
    pub per_page: Option<String>,
    /// A stage key (`negotiation`).
    pub stage: Option<String>,
    /// The responsible user's UUID.
    pub assigned_to: Option<String>,
    pub min_value: Option<String>,
    pub max_value: Option<String>,
    pub status: Option<String>,
}

/// One opportunity with what the API shows of its stage, contact and owner.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OpportunityRow {
    pub id: i64,
    pub uuid: String,
    pub title: String,
    pub value_cents: i64,
    pub currency: String,
    pub stage_key: String,
    pub status: String,
    pub probability: i64,
    pub expected_close_date: Option<String>,
    pub contact_uuid: Option<String>,
    pub user_uuid: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub won_at: Option<String>,
    pub lost_at: Option<String>,
    pub final_value_cents: Option<i64>,
    pub close_notes: Option<String>,
    /// The lead source's name and UUID.
    pub lead_source: Option<String>,
    pub lead_source_uuid: Option<String>,
    pub organization_uuid: Option<String>,
    pub quality_rating: Option<i64>,
    pub quality_reason: Option<String>,
    pub visibility: i64,
    pub temperature: Option<i64>,
    /// JSON object text, as the intake stored it.
    pub marketing: String,
    /// JSON object text, as the intake or the deal page stored it.
    pub custom_attributes: String,
}

/// A page of opportunities and how many match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct OpportunityPage {
    pub rows: Vec<OpportunityRow>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<Cursor>,
}

const SELECT: &str = "SELECT d.id, d.uuid, d.title, d.value_cents, d.currency, s.key AS stage_key, d.status, \
     COALESCE(d.probability, s.probability) AS probability, d.expected_close_date, c.uuid AS contact_uuid, \
     u.uuid AS user_uuid, d.created_at, d.updated_at, d.won_at, d.lost_at, d.final_value_cents, \
     d.close_notes, ls.name AS lead_source, ls.uuid AS lead_source_uuid, o.uuid AS organization_uuid, \
     d.quality_rating, d.quality_reason, d.visibility, d.temperature, d.marketing, d.custom_attributes \
     FROM deals d JOIN stages s ON s.id = d.stage_id \
     LEFT JOIN contacts c ON c.id = d.contact_id LEFT JOIN users u ON u.id = d.responsible_user_id \
     LEFT JOIN lead_sources ls ON ls.id = d.lead_source_id LEFT JOIN organizations o ON o.id = d.organization_id \
     WHERE d.account_id = ";

fn positive(field: &str, value: Option<&str>, default: i64) -> ServiceResult<i64> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            ServiceError::invalid(field, format!("\"{v}\" is not a whole number from 1 up"))
        }),
    }
}

fn amount(field: &str, value: Option<&str>) -> ServiceResult<Option<i64>> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| parse_amount(v).map_err(|m| ServiceError::invalid(field, m)))
        .transpose()
}

/// Adds the filter's conditions to a query that already selects `… WHERE d.account_id = $1`.
fn push_filter(q: &mut SqlBuilder, query: &OpportunityQuery) -> ServiceResult<()> {
    if let Some(stage) = query
        .stage
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        q.push(
            " AND d.stage_id IN (SELECT id FROM stages WHERE account_id = d.account_id AND key = ",
        )
        .bind_text(stage)
        .push(")");
    }
    if let Some(user) = query
        .assigned_to
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        q.push(" AND d.responsible_user_id IN (SELECT id FROM users WHERE uuid = ")
            .bind_text(user)
            .push(")");
    }
    if let Some(min) = amount("min_value", query.min_value.as_deref())? {
        q.push(" AND d.value_cents >= ").bind_int(min);
    }
    if let Some(max) = amount("max_value", query.max_value.as_deref())? {
        q.push(" AND d.value_cents <= ").bind_int(max);
    }
    match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {}
        Some(s @ ("open" | "won" | "lost")) => {
            q.push(" AND d.status = ").bind_text(s);
        }
        Some(other) => {
            return Err(ServiceError::invalid(
                "status",
                format!("\"{other}\" is not open, won or lost"),
            ))
        }
    }
    Ok(())
}

/// A page of the account's opportunities, newest first. `per_page` above
/// [`MAX_PER_PAGE`] is refused rather than silently cut.
pub async fn list(
    db: &Db,
    actor: Actor,
    query: &OpportunityQuery,
) -> ServiceResult<OpportunityPage> {
    let cursor = Cursor::read("cursor", query.cursor.as_deref())?;
    let page = match &cursor {
        Some(c) => c.page,
        None => positive("page", query.page.as_deref(), 1)?,
    };
    let per_page = positive("per_page", query.per_page.as_deref(), DEFAULT_PER_PAGE)?;
    if per_page > MAX_PER_PAGE {
        return Err(ServiceError::invalid(
            "per_page",
            format!("must be at most {MAX_PER_PAGE}"),
        ));
    }
    // Filters read only `d`, so the count needs no join.
    let filter_free = [
        &query.stage,
        &query.assigned_to,
        &query.min_value,
        &query.max_value,
        &query.status,
    ]
    .iter()
    .all(|v| v.as_deref().is_none_or(|v| v.trim().is_empty()));
    let listing = Listing {
        count: "SELECT COUNT(*) FROM deals d WHERE d.account_id = ",
        select: SELECT,
        order: "d.created_at DESC, d.id DESC",
        keys: Some(("d.id", "SELECT d.id FROM deals d WHERE d.account_id = ")),
        total: deals::count_all(db, actor, filter_free).await?,
        seek: Some(Seek {
            sort: "d.created_at",
            key: "d.id",
            descending: true,
        }),
    };
    let start = cursor.as_ref().map_or(Start::Page(page), Cursor::start);
    let (rows, total): (Vec<OpportunityRow>, i64) = listing
        .page_from(
            db,
            actor.account_id,
            |q| {
                push_filter(q, query)?;
                deals::push_visible(q, "d", actor);
                Ok(())
            },
            &start,
            per_page,
        )
        .await?;
    let next_cursor = Cursor::after(&rows, page, per_page, total, |last| {
        (last.created_at.clone(), last.id)
    });
    Ok(OpportunityPage {
        rows,
        page,
        per_page,
        total,
        next_cursor,
    })
}

/// One opportunity of the account.
pub async fn get(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<OpportunityRow> {
    let mut q = SqlBuilder::new(SELECT);
    q.bind_int(actor.account_id)
        .push(" AND d.id = ")
        .bind_int(deal_id);
    deals::push_visible(&mut q, "d", actor);
    q.query_as()
        .fetch_optional(&db.pool)
        .await?
        .ok_or(ServiceError::NotFound("opportunity"))
}

//! Deals as the accounts API (`/api/v1/accounts/{account_id}/deals`) sees them: numeric ids,
//! 1-based positions, custom attributes kept as sent, Ransack search a page at a time,
//! partial updates and upsert. Changes go through the same services the pages use.

use serde_json::{Map, Value};

/// A deal's 1-based place in its stage: one more than the cards before it. Stored positions
/// have gaps (see `domain::positions`), so the place is counted, from the `(stage_id,
/// position)` index alone; a stage belongs to one account, so the count stays in it.
macro_rules! place {
    () => {
        "(SELECT COUNT(*) FROM deals r WHERE r.stage_id = d.stage_id AND r.position < d.position) + 1"
    };
}

/// [`place!`] as a value, for queries written elsewhere (the benchmark's baseline).
pub const PLACE: &str = place!();

use crate::domain::ransack::{self, AttrKind, Attribute, Pagination, TextIndex};
use crate::domain::DealStatus;
use crate::server::db::{Db, SqlBuilder};
use crate::server::error::{ServiceError, ServiceResult};

use super::contacts::{self, ContactLookup};
use super::deals::{self, NewDeal, Slot};
use super::pipeline_status::API_LOST_REASON;
use super::{closing, deal_edit, deal_links, pipelines, Actor};

/// Attributes a search may name, and what each reads.
pub const SEARCHABLE: &[Attribute] = &[
    attr("id", "d.id", AttrKind::Int),
    attr("name", "d.title", AttrKind::Text).with_text_index(TextIndex {
        table: "deals_title_fts",
        row_id: "d.id",
    }),
    attr("status", "d.status", AttrKind::Text),
    attr("stage_id", "d.stage_id", AttrKind::Int),
    attr("pipeline_id", "d.pipeline_id", AttrKind::Int),
    attr("contact_id", "d.contact_id", AttrKind::Int),
    attr("position", place!(), AttrKind::Int),
    attr("created_by_id", "d.created_by_id", AttrKind::Int),
    attr("lost_reason", "d.lost_reason", AttrKind::Text),
    attr("created_at", "d.created_at", AttrKind::Time),
    attr("updated_at", "d.updated_at", AttrKind::Time),
    attr("won_at", "d.won_at", AttrKind::Time),
    attr("lost_at", "d.lost_at", AttrKind::Time),
];

const fn attr(name: &'static str, column: &'static str, kind: AttrKind) -> Attribute {
    Attribute::new(name, column, kind)
}

/// Rows per search page when none is asked for.
pub const DEFAULT_ITEMS: i64 = 20;
/// Most rows one search page holds.
pub const MAX_ITEMS: i64 = 100;

/// A deal with the fields this API shows.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DealRecord {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub stage_id: i64,
    pub pipeline_id: i64,
    pub contact_id: Option<i64>,
    /// 1-based place in its stage.
    pub position: i64,
    pub created_by_id: Option<i64>,
    pub total_deal_products_amount_in_cents: i64,
    pub lost_at: Option<String>,
    pub won_at: Option<String>,
    pub lost_reason: String,
    pub account_id: i64,
    /// JSON object text.
    pub custom_attributes: String,
    pub created_at: String,
    pub updated_at: String,
}

const SELECT: &str = concat!(
    "SELECT d.id, d.title AS name, d.status, d.stage_id, d.pipeline_id, d.contact_id, ",
    place!(),
    " AS position, d.created_by_id, \
     COALESCE((SELECT CAST(SUM(p.total_amount_cents) AS BIGINT) FROM deal_products p WHERE p.deal_id = d.id), 0) \
     AS total_deal_products_amount_in_cents, \
     d.lost_at, d.won_at, d.lost_reason, d.account_id, d.custom_attributes, d.created_at, d.updated_at \
     FROM deals d WHERE d.account_id = "
);

/// The deal's contact as this API nests it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ContactRecord {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub custom_attributes: String,
    pub additional_attributes: String,
    pub app_type: Option<String>,
    pub app_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub account_id: i64,
}

/// The deal's stage.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StageRecord {
    pub id: i64,
    pub name: String,
    pub pipeline_id: i64,
    /// 1-based.
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
    pub account_id: i64,
}

/// The deal's pipeline.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PipelineRecord {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
    pub account_id: i64,
}

/// A user assigned to the deal.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AssigneeRecord {
    pub id: i64,
    pub deal_id: i64,
    pub user_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub account_id: i64,
}

/// A product line of the deal.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProductRecord {
    pub id: i64,
    pub product_id: Option<i64>,
    pub deal_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub unit_amount_in_cents: i64,
    pub product_identifier: String,
    pub product_name: String,
    pub total_amount_in_cents: i64,
    pub quantity: i64,
    pub account_id: i64,
}

/// A deal with everything `GET …/deals/{id}` nests.
#[derive(Debug, Clone, PartialEq)]
pub struct DealDetail {
    pub deal: DealRecord,
    pub contact: Option<ContactRecord>,
    /// Label names of the contact.
    pub contact_labels: Vec<String>,
    pub stage: StageRecord,
    pub pipeline: PipelineRecord,
    pub assignees: Vec<AssigneeRecord>,
    pub products: Vec<ProductRecord>,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub deals: Vec<DealRecord>,
    pub pagination: Pagination,
}

/// The contact a create or upsert names: an id, or attributes to find or create it by.
#[derive(Debug, Clone)]
pub enum ContactRef {
    Id(i64),
    Attributes(ContactLookup),
}

/// Fields to set; `None` leaves a field as it is (or takes its default on create).
#[derive(Debug, Clone, Default)]
pub struct DealFields {
    pub name: Option<String>,
    pub status: Option<String>,
    pub stage_id: Option<i64>,
    pub pipeline_id: Option<i64>,
    pub contact: Option<ContactRef>,
    /// 1-based place in the stage.
    pub position: Option<i64>,
    pub lost_reason: Option<String>,
    /// ISO-8601 in UTC.
    pub lost_at: Option<String>,
    /// ISO-8601 in UTC.
    pub won_at: Option<String>,
    pub custom_attributes: Option<Map<String, Value>>,
}

/// A deal of the account as this API shows it.
pub async fn get(db: &Db, actor: Actor, deal_id: i64) -> ServiceResult<DealRecord> {
    let mut q = SqlBuilder::new(SELECT);
    q.bind_int(actor.account_id)
        .push(" AND d.id = ")
        .bind_int(deal_id);
    q.query_as()
        .fetch_optional(&db.pool)
        .await?
        .ok_or(ServiceError::NotFound("deal"))
}

/// A deal with its contact, stage, pipeline, assignees and product lines.
pub async fn detail(db: &Db, actor: Actor, deal_id: i64) -> ServiceResult<DealDetail> {
    let deal = get(db, actor, deal_id).await?;
    let account = actor.account_id;
    let contact: Option<ContactRecord> = match deal.contact_id {
        Some(id) => sqlx::query_as(
            "SELECT id, full_name, phone, email, custom_attributes, additional_attributes, app_type, app_id, \
             created_at, updated_at, account_id FROM contacts WHERE id = $1 AND account_id = $2",
        )
        .bind(id)
        .bind(account)
        .fetch_optional(&db.pool)
        .await?,
        None => None,
    };
    let contact_labels: Vec<(String,)> = match deal.contact_id {
        Some(id) => {
            sqlx::query_as(
                "SELECT l.name FROM contact_labels cl JOIN labels l ON l.id = cl.label_id \
                 WHERE cl.contact_id = $1 AND l.account_id = $2 ORDER BY l.name",
            )
            .bind(id)
            .bind(account)
            .fetch_all(&db.pool)
            .await?
        }
        None => Vec::new(),
    };
    let stage: StageRecord = sqlx::query_as(
        "SELECT id, name, pipeline_id, position + 1 AS position, created_at, updated_at, account_id \
         FROM stages WHERE id = $1 AND account_id = $2",
    )
    .bind(deal.stage_id)
    .bind(account)
    .fetch_one(&db.pool)
    .await?;
    let pipeline: PipelineRecord = sqlx::query_as(
        "SELECT id, name, created_at, updated_at, account_id FROM pipelines WHERE id = $1 AND account_id = $2",
    )
    .bind(deal.pipeline_id)
    .bind(account)
    .fetch_one(&db.pool)
    .await?;
    let assignees: Vec<AssigneeRecord> = sqlx::query_as(
        "SELECT id, deal_id, user_id, created_at, updated_at, account_id FROM deal_assignees \
         WHERE deal_id = $1 AND account_id = $2 ORDER BY id",
    )
    .bind(deal_id)
    .bind(account)
    .fetch_all(&db.pool)
    .await?;
    let products: Vec<ProductRecord> = sqlx::query_as(
        "SELECT id, product_id, deal_id, created_at, updated_at, unit_amount_cents AS unit_amount_in_cents, \
         product_identifier, product_name, total_amount_cents AS total_amount_in_cents, quantity, account_id \
         FROM deal_products WHERE deal_id = $1 AND account_id = $2 ORDER BY id",
    )
    .bind(deal_id)
    .bind(account)
    .fetch_all(&db.pool)
    .await?;
    Ok(DealDetail {
        deal,
        contact,
        contact_labels: contact_labels.into_iter().map(|(n,)| n).collect(),
        stage,
        pipeline,
        assignees,
        products,
    })
}

/// Searches the account's deals with a Ransack-style `query`; `page` and `items` are 1-based
/// and at most [`MAX_ITEMS`]. Unknown attributes or predicates and ill-typed values are
/// validation errors naming the query key (`query.<key>`).
pub async fn search(
    db: &Db,
    actor: Actor,
    query: &Map<String, Value>,
    page: Option<i64>,
    items: Option<i64>,
) -> ServiceResult<SearchPage> {
    let search = ransack::parse(query, SEARCHABLE)
        .map_err(|e| ServiceError::invalid(format!("query.{}", e.key), e.message))?;
    let page = page.unwrap_or(1);
    if page < 1 {
        return Err(ServiceError::invalid("page", "must be 1 or more"));
    }
    let items = items.unwrap_or(DEFAULT_ITEMS);
    if !(1..=MAX_ITEMS).contains(&items) {
        return Err(ServiceError::invalid(
            "items",
            format!("must be from 1 to {MAX_ITEMS}"),
        ));
    }
    let mut count = SqlBuilder::new("SELECT COUNT(*) FROM deals d WHERE d.account_id = ");
    count
        .bind_int(actor.account_id)
        .push_search(&search, db.backend);
    let (total,): (i64,) = count.query_as().fetch_one(&db.pool).await?;
    let mut q = SqlBuilder::new(SELECT);
    q.bind_int(actor.account_id)
        .push_search(&search, db.backend);
    match search.sort {
        Some((a, desc)) => {
            let dir = if desc { "DESC" } else { "ASC" };
            q.push(&format!(" ORDER BY {} {dir}, d.id {dir}", a.column))
        }
        None => q.push(" ORDER BY d.id"),
    };
    q.push(" LIMIT ")
        .bind_int(items)
        .push(" OFFSET ")
        .bind_int(Pagination::offset(page, items));
    let deals = q.query_as().fetch_all(&db.pool).await?;
    Ok(SearchPage {
        deals,
        pagination: Pagination::of(page, items, total),
    })
}

/// Parses an API timestamp that must be UTC (`Z` or `+00:00`) into storage form.
fn utc_time(field: &str, value: &str) -> ServiceResult<String> {
    let t = chrono::DateTime::parse_from_rfc3339(value.trim()).map_err(|_| {
        ServiceError::invalid(
            field,
            format!("\"{value}\" is not an ISO-8601 timestamp (2025-01-15T10:30:00Z)"),
        )
    })?;
    if t.offset().local_minus_utc() != 0 {
        return Err(ServiceError::invalid(
            field,
            format!("\"{value}\" must be in UTC (end with Z)"),
        ));
    }
    Ok(crate::server::db::ts(t.with_timezone(&chrono::Utc)))
}

fn parse_status(status: &str) -> ServiceResult<DealStatus> {
    status.trim().parse().map_err(|_| {
        ServiceError::invalid("status", format!("\"{status}\" is not open, won or lost"))
    })
}

/// The stage a change names, checked against the account and the pipeline named with it.
async fn checked_stage(
    db: &Db,
    actor: Actor,
    stage_id: i64,
    pipeline_id: Option<i64>,
) -> ServiceResult<pipelines::Stage> {
    let stage = pipelines::get_stage(db, actor.account_id, stage_id)
        .await
        .map_err(|_| ServiceError::invalid("stage_id", "no such stage in this account"))?;
    if pipeline_id.is_some_and(|p| p != stage.pipeline_id) {
        return Err(ServiceError::invalid(
            "pipeline_id",
            format!(
                "does not match the pipeline of stage {} ({})",
                stage.id, stage.pipeline_id
            ),
        ));
    }
    Ok(stage)
}

async fn resolve_contact(db: &Db, actor: Actor, contact: &ContactRef) -> ServiceResult<i64> {
    match contact {
        ContactRef::Id(id) => contacts::get_contact(db, actor, *id)
            .await
            .map(|c| c.id)
            .map_err(|_| ServiceError::invalid("contact_id", "no such contact in this account")),
        ContactRef::Attributes(lookup) => contacts::find_or_create(db, actor, lookup)
            .await
            .map(|(c, _)| c.id)
            .map_err(|e| match e {
                ServiceError::Validation { field, message } => ServiceError::Validation {
                    field: format!(
                        "contact_attributes.{}",
                        field.trim_start_matches("contact.")
                    ),
                    message,
                },
                e => e,
            }),
    }
}

fn check_position(position: Option<i64>) -> ServiceResult<()> {
    if position.is_some_and(|p| p < 1) {
        return Err(ServiceError::invalid("position", "must be 1 or more"));
    }
    Ok(())
}

/// Creates a deal: `stage_id` and a contact are required, the pipeline follows from the stage
/// (a different `pipeline_id` is refused), the position is the end of the stage unless given.
pub async fn create(db: &Db, actor: Actor, fields: &DealFields) -> ServiceResult<DealRecord> {
    let stage_id = fields
        .stage_id
        .ok_or_else(|| ServiceError::invalid("stage_id", "is required"))?;
    let contact = fields
        .contact
        .as_ref()
        .ok_or_else(|| ServiceError::invalid("contact_id", "is required"))?;
    let stage = checked_stage(db, actor, stage_id, fields.pipeline_id).await?;
    let status = match fields.status.as_deref() {
        Some(s) => parse_status(s)?,
        None => DealStatus::Open,
    };
    let closed_at = closing_time(fields, status)?;
    check_position(fields.position)?;
    if let Some(name) = &fields.name {
        deals::validate_title(name).map_err(|e| rename_field(e, "name"))?;
    }
    let contact_id = resolve_contact(db, actor, contact).await?;
    let name = match &fields.name {
        Some(n) => n.clone(),
        None => {
            contacts::get_contact(db, actor, contact_id)
                .await?
                .full_name
        }
    };
    let deal = deals::create_deal(
        db,
        actor,
        NewDeal {
            title: name,
            stage_id: Some(stage.id),
            contact_id: Some(contact_id),
            status,
            lost_reason: lost_reason(fields),
            closed_at,
            custom_attributes: fields.custom_attributes.clone(),
            ..Default::default()
        },
    )
    .await
    .map_err(|e| rename_field(e, "name"))?;
    if let Some(p) = fields.position {
        deals::move_deal(db, actor, deal.id, stage.id, Slot::Index((p - 1) as usize)).await?;
    }
    get(db, actor, deal.id).await
}

/// The lost reason a lost deal gets: the one given, else the API's default.
fn lost_reason(fields: &DealFields) -> String {
    fields
        .lost_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or(API_LOST_REASON)
        .to_string()
}

/// Checks `won_at` / `lost_at` against the status the deal ends with; returns the closing time
/// to store (storage form), if one was given.
fn closing_time(fields: &DealFields, status: DealStatus) -> ServiceResult<Option<String>> {
    let won = fields
        .won_at
        .as_deref()
        .map(|v| utc_time("won_at", v))
        .transpose()?;
    let lost = fields
        .lost_at
        .as_deref()
        .map(|v| utc_time("lost_at", v))
        .transpose()?;
    if won.is_some() && status != DealStatus::Won {
        return Err(ServiceError::invalid(
            "won_at",
            "only a won deal has won_at (set status to won)",
        ));
    }
    if lost.is_some() && status != DealStatus::Lost {
        return Err(ServiceError::invalid(
            "lost_at",
            "only a lost deal has lost_at (set status to lost)",
        ));
    }
    if let Some(reason) = &fields.lost_reason {
        if status != DealStatus::Lost && !reason.trim().is_empty() {
            return Err(ServiceError::invalid(
                "lost_reason",
                "only a lost deal has a lost reason (set status to lost)",
            ));
        }
        if reason.chars().count() > closing::MAX_REASON_LEN {
            closing::check_lost_reason(reason)?;
        }
    }
    Ok(won.or(lost))
}

/// Deal services call the title `title`; this API calls it `name`.
fn rename_field(e: ServiceError, to: &str) -> ServiceError {
    match e {
        ServiceError::Validation { field, message } if field == "title" => {
            ServiceError::Validation {
                field: to.to_string(),
                message,
            }
        }
        e => e,
    }
}

/// Changes the fields given and leaves the others; every value is checked before anything
/// is written.
pub async fn update(
    db: &Db,
    actor: Actor,
    deal_id: i64,
    fields: &DealFields,
) -> ServiceResult<DealRecord> {
    let before = get(db, actor, deal_id).await?;
    let status = match fields.status.as_deref() {
        Some(s) => parse_status(s)?,
        None => parse_status(&before.status)?,
    };
    let closed_at = closing_time(fields, status)?;
    check_position(fields.position)?;
    if let Some(name) = &fields.name {
        deals::validate_title(name).map_err(|e| rename_field(e, "name"))?;
    }
    if let Some(attrs) = &fields.custom_attributes {
        deal_links::check_attributes(attrs)?;
    }
    let stage = match fields.stage_id {
        Some(id) => Some(checked_stage(db, actor, id, fields.pipeline_id).await?),
        None => {
            if fields.pipeline_id.is_some_and(|p| p != before.pipeline_id) {
                return Err(ServiceError::invalid(
                    "pipeline_id",
                    "does not match the deal's stage; send stage_id to move it to another pipeline",
                ));
            }
            None
        }
    };
    let contact_id = match &fields.contact {
        Some(c) => Some(resolve_contact(db, actor, c).await?),
        None => None,
    };

    if fields.name.is_some() || contact_id.is_some_and(|c| Some(c) != before.contact_id) {
        let mut edit = deal_edit::current(db, actor, deal_id).await?;
        if let Some(name) = &fields.name {
            edit.title = name.clone();
        }
        if contact_id.is_some() {
            edit.contact_id = contact_id;
        }
        deal_edit::update_deal(db, actor, deal_id, &edit)
            .await
            .map_err(|e| rename_field(e, "name"))?;
    }
    let target_stage = stage.as_ref().map_or(before.stage_id, |s| s.id);
    if target_stage != before.stage_id || fields.position.is_some_and(|p| p != before.position) {
        let slot = match fields.position {
            Some(p) => Slot::Index((p - 1) as usize),
            None => Slot::End,
        };
        deals::move_deal(db, actor, deal_id, target_stage, slot).await?;
    }
    let status_changed = status.as_str() != before.status;
    match status {
        DealStatus::Open if status_changed => {
            closing::reopen(db, actor, deal_id).await?;
        }
        DealStatus::Won if status_changed || closed_at.is_some() => {
            closing::mark_won_at(db, actor, deal_id, None, "", closed_at.as_deref()).await?;
        }
        DealStatus::Lost
            if status_changed
                || closed_at.is_some()
                || fields
                    .lost_reason
                    .as_deref()
                    .is_some_and(|r| r.trim() != before.lost_reason) =>
        {
            let reason = match &fields.lost_reason {
                Some(_) => lost_reason(fields),
                None if !before.lost_reason.is_empty() => before.lost_reason.clone(),
                None => API_LOST_REASON.to_string(),
            };
            let at = closed_at.or_else(|| (!status_changed).then(|| before.lost_at.clone())?);
            closing::mark_lost_at(db, actor, deal_id, &reason, at.as_deref()).await?;
        }
        _ => {}
    }
    if let Some(attrs) = &fields.custom_attributes {
        deal_links::replace_attributes(db, actor, deal_id, attrs).await?;
    }
    get(db, actor, deal_id).await
}

/// Updates the deal `fields` match, or creates it; returns it and whether it was created.
///
/// The match: the deal named by `id` when given (another account's id is not found);
/// otherwise the contact's most recently updated open deal in the stage's pipeline.
pub async fn upsert(
    db: &Db,
    actor: Actor,
    id: Option<i64>,
    fields: &DealFields,
) -> ServiceResult<(DealRecord, bool)> {
    if let Some(id) = id {
        get(db, actor, id).await?;
        return Ok((update(db, actor, id, fields).await?, false));
    }
    let stage_id = fields
        .stage_id
        .ok_or_else(|| ServiceError::invalid("stage_id", "is required"))?;
    let contact = fields
        .contact
        .as_ref()
        .ok_or_else(|| ServiceError::invalid("contact_id", "is required"))?;
    let stage = checked_stage(db, actor, stage_id, fields.pipeline_id).await?;
    let contact_id = resolve_contact(db, actor, contact).await?;
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM deals WHERE account_id = $1 AND contact_id = $2 AND pipeline_id = $3 \
         AND status = 'open' ORDER BY updated_at DESC, id DESC LIMIT 1",
    )
    .bind(actor.account_id)
    .bind(contact_id)
    .bind(stage.pipeline_id)
    .fetch_optional(&db.pool)
    .await?;
    let fields = DealFields {
        contact: Some(ContactRef::Id(contact_id)),
        ..fields.clone()
    };
    match existing {
        Some((id,)) => Ok((update(db, actor, id, &fields).await?, false)),
        None => Ok((create(db, actor, &fields).await?, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_timestamps_must_be_utc() {
        assert_eq!(
            utc_time("lost_at", "2025-01-18T16:45:00Z").unwrap(),
            "2025-01-18T16:45:00.000000Z"
        );
        assert!(utc_time("lost_at", "2025-01-18T16:45:00+00:00").is_ok());
        let e = utc_time("lost_at", "2025-01-18T16:45:00-03:00").unwrap_err();
        assert!(e.to_string().contains("UTC"), "{e}");
        let e = utc_time("lost_at", "18/01/2025").unwrap_err();
        assert!(e.to_string().starts_with("lost_at:"), "{e}");
    }

    #[test]
    fn closing_times_follow_the_status() {
        let fields = DealFields {
            lost_at: Some("2025-01-18T16:45:00Z".into()),
            ..Default::default()
        };
        assert!(closing_time(&fields, DealStatus::Lost).unwrap().is_some());
        assert!(closing_time(&fields, DealStatus::Open).is_err());
        let fields = DealFields {
            lost_reason: Some("Price".into()),
            ..Default::default()
        };
        assert!(closing_time(&fields, DealStatus::Won).is_err());
    }
}

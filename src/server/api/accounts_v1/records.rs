//! Deals as the accounts API reads them: numeric ids, 1-based positions, custom attributes
//! kept as sent, and Ransack search a page at a time. Read straight from the tables, in the
//! shapes this API answers with.

use crate::domain::{AccountId, DealId, DealStatus, PipelineId, Problem, StageId, UserId};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::domain::ransack::{self, AttrKind, Attribute, Pagination, TextIndex};
use crate::server::db::{Db, Listing, SqlBuilder};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::{deals, Actor};
use crate::server::values::{JsonText, Timestamp};

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

/// Attributes a search may name, and what each reads.
pub const SEARCHABLE: &[Attribute] = &[
    attr("id", "d.id", AttrKind::Int),
    attr("name", "d.title", AttrKind::Text)
        .with_folded("d.title_key")
        .with_text_index(TextIndex {
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

pub use crate::server::api::{DEFAULT_PER_PAGE as DEFAULT_ITEMS, MAX_PER_PAGE as MAX_ITEMS};

/// A deal as this API shows it: read from its row, answered as it is.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct DealRecord {
    #[schema(example = 101)]
    pub id: i64,
    #[schema(example = "Acme renewal")]
    pub name: String,
    /// `open`, `won` or `lost`.
    #[sqlx(try_from = "String")]
    #[schema(value_type = String, example = "open")]
    pub status: DealStatus,
    pub stage_id: StageId,
    pub pipeline_id: PipelineId,
    pub contact_id: Option<i64>,
    /// 1-based position in the stage's column.
    pub position: i64,
    pub created_by_id: Option<i64>,
    /// Sum of the product lines, in cents.
    pub total_deal_products_amount_in_cents: i64,
    pub lost_at: Option<Timestamp>,
    pub won_at: Option<Timestamp>,
    pub lost_reason: String,
    pub account_id: AccountId,
    /// Returned exactly as sent.
    pub custom_attributes: JsonText,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
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
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct ContactRecord {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub custom_attributes: JsonText,
    pub additional_attributes: JsonText,
    pub app_type: Option<String>,
    pub app_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub account_id: AccountId,
    /// The contact's tags.
    #[sqlx(skip)]
    pub label_list: Vec<String>,
    /// Always empty here (no conversations).
    #[sqlx(skip)]
    pub chatwoot_conversations_label_list: Vec<String>,
}

/// The deal's stage.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct StageRecord {
    pub id: i64,
    pub name: String,
    pub pipeline_id: PipelineId,
    /// 1-based.
    pub position: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub account_id: AccountId,
}

/// The deal's pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct PipelineRecord {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub account_id: AccountId,
}

/// A user assigned to the deal.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct AssigneeRecord {
    pub id: i64,
    pub deal_id: DealId,
    pub user_id: UserId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub account_id: AccountId,
}

/// A product line of the deal.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct ProductRecord {
    pub id: i64,
    /// `null` for a line whose product was deleted.
    pub product_id: Option<i64>,
    pub deal_id: DealId,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub unit_amount_in_cents: i64,
    pub product_identifier: String,
    pub product_name: String,
    pub total_amount_in_cents: i64,
    pub quantity: i64,
    pub account_id: AccountId,
}

/// A deal with everything `GET …/deals/{id}` nests.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DealDetail {
    #[serde(flatten)]
    pub deal: DealRecord,
    pub contact: Option<ContactRecord>,
    pub stage: StageRecord,
    pub pipeline: PipelineRecord,
    pub deal_assignees: Vec<AssigneeRecord>,
    pub deal_products: Vec<ProductRecord>,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SearchPage {
    pub data: Vec<DealRecord>,
    pub pagination: Pagination,
}

/// A deal of the account as this API shows it.
pub async fn get(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<DealRecord> {
    let mut q = SqlBuilder::new(SELECT);
    q.bind_int(actor.account_id)
        .push(" AND d.id = ")
        .bind_int(deal_id);
    deals::push_visible(&mut q, "d", actor);
    q.query_as()
        .fetch_optional(&db.pool)
        .await?
        .ok_or(ServiceError::NotFound("deal"))
}

/// A deal with its contact, stage, pipeline, assignees and product lines.
pub async fn detail(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<DealDetail> {
    let deal = get(db, actor, deal_id).await?;
    let account = actor.account_id;
    let mut contact: Option<ContactRecord> = match deal.contact_id {
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
    if let Some(c) = contact.as_mut() {
        let labels: Vec<(String,)> = sqlx::query_as(
            "SELECT l.name FROM contact_labels cl JOIN labels l ON l.id = cl.label_id \
             WHERE cl.contact_id = $1 AND l.account_id = $2 ORDER BY l.name",
        )
        .bind(c.id)
        .bind(account)
        .fetch_all(&db.pool)
        .await?;
        c.label_list = labels.into_iter().map(|(n,)| n).collect();
    }
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
    let deal_assignees: Vec<AssigneeRecord> = sqlx::query_as(
        "SELECT id, deal_id, user_id, created_at, updated_at, account_id FROM deal_assignees \
         WHERE deal_id = $1 AND account_id = $2 ORDER BY id",
    )
    .bind(deal_id)
    .bind(account)
    .fetch_all(&db.pool)
    .await?;
    let deal_products: Vec<ProductRecord> = sqlx::query_as(
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
        stage,
        pipeline,
        deal_assignees,
        deal_products,
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
        return Err(ServiceError::invalid("page", Problem::OneOrMore));
    }
    let items = items.unwrap_or(DEFAULT_ITEMS);
    if !(1..=MAX_ITEMS).contains(&items) {
        return Err(ServiceError::invalid(
            "items",
            Problem::Range {
                from: 1,
                to: MAX_ITEMS,
            },
        ));
    }
    let order = match search.sort {
        Some((a, desc)) => {
            let dir = if desc { "DESC" } else { "ASC" };
            format!("{} {dir}, d.id {dir}", a.column)
        }
        None => "d.id".to_string(),
    };
    let listing = Listing {
        count: "SELECT COUNT(*) FROM deals d WHERE d.account_id = ",
        select: SELECT,
        order: &order,
        keys: Some(("d.id", "SELECT d.id FROM deals d WHERE d.account_id = ")),
        total: deals::count_all(db, actor, search.conditions.is_empty()).await?,
        seek: None,
    };
    let filter = |q: &mut SqlBuilder| {
        q.push_search(&search, db.backend);
        deals::push_visible(q, "d", actor);
        Ok(())
    };
    let (deals, total) = listing
        .page(db, actor.account_id, filter, page, items)
        .await?;
    Ok(SearchPage {
        data: deals,
        pagination: Pagination::of(page, items, total),
    })
}

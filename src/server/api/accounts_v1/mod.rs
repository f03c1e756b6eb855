//! `/api/v1/accounts/{account_id}/deals` — the accounts API: create, Ransack search with pages,
//! get (with contact, stage, pipeline, assignees and products), partial update and upsert.
//! Ids are the numeric ids of the records; positions are 1-based. Another account's id in the
//! path answers 404, like any record the key's account does not hold.

pub mod records;

use crate::domain::{ContactId, DealId, PipelineId, StageId};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{AccountKey, DealsRead, DealsWrite};
use super::body::{de, Body};
use super::doc::{AccountsAuthErrors, AccountsBodyErrors, AccountsNotFound, ACCOUNTS};
use super::error::{Accounts, ApiError as AnyApiError};

/// This surface's errors, in Woofed's shape (see `error.rs`).
type ApiError = AnyApiError<Accounts>;
use crate::server::services::contacts::{ContactLookup, NewContact};
use crate::server::services::deals::records::{self as writes, DealFields};
use crate::server::services::deals::update::ContactRef;
use crate::server::AppState;
use records::{DealDetail, DealRecord, SearchPage};

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(search))
        .routes(routes!(upsert))
        .routes(routes!(show, update))
}

/// The deal id of a path: a number, else no such deal.
fn deal_id(id: &str) -> Result<DealId, ApiError> {
    id.trim().parse().map_err(|_| ApiError::not_found("deal"))
}

/// The deal fields of a create, update or upsert body; on update the fields sent change and
/// the others stay.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Acme renewal", "stage_id": 2, "contact_id": 7, "custom_attributes": {"source": "web"}}))]
pub struct DealBody {
    /// Required on create.
    name: Option<String>,
    /// `open`, `won` or `lost`.
    status: Option<String>,
    /// Required on create; the pipeline follows from it. Left out on update, the stage stays;
    /// `null` is refused.
    #[serde(default, deserialize_with = "de::int_not_null")]
    stage_id: Option<StageId>,
    /// Must be the stage's pipeline when given (422 otherwise).
    #[serde(default, deserialize_with = "de::int")]
    pipeline_id: Option<PipelineId>,
    /// Required on create unless `contact_attributes` is given.
    #[serde(default, deserialize_with = "de::int")]
    contact_id: Option<ContactId>,
    /// 1-based position in the column (default: the end).
    #[serde(default, deserialize_with = "de::int")]
    position: Option<i64>,
    lost_reason: Option<String>,
    /// UTC ISO 8601 (`2026-11-24T10:00:00Z`).
    lost_at: Option<String>,
    /// UTC ISO 8601.
    won_at: Option<String>,
    /// Stored and returned as sent.
    #[schema(value_type = Option<Object>)]
    custom_attributes: Option<Map<String, Value>>,
    /// Find-or-create of the contact (by `id`, else `email`, else `phone`).
    contact_attributes: Option<ContactAttributes>,
}

/// The contact of an upsert or create, found or created.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactAttributes {
    #[serde(default, deserialize_with = "de::int")]
    id: Option<ContactId>,
    full_name: Option<String>,
    /// Taken when `full_name` is absent.
    name: Option<String>,
    email: Option<String>,
    /// E.164 (`+5511999990000`).
    phone: Option<String>,
}

impl DealBody {
    /// The fields as the service takes them: the contact from `contact_id`, else found by
    /// (or created from) `contact_attributes`.
    fn fields(self) -> DealFields {
        let contact = match (self.contact_id, self.contact_attributes) {
            (Some(id), _) => Some(ContactRef::Id(id)),
            (None, Some(attrs)) => Some(ContactRef::Attributes(attrs.lookup())),
            (None, None) => None,
        };
        DealFields {
            name: self.name,
            status: self.status,
            stage_id: self.stage_id,
            pipeline_id: self.pipeline_id,
            contact,
            position: self.position,
            lost_reason: self.lost_reason,
            lost_at: self.lost_at,
            won_at: self.won_at,
            custom_attributes: self.custom_attributes,
        }
    }
}

impl ContactAttributes {
    /// Found by `id`, else e-mail, else phone; created when none matches (named by its
    /// e-mail or phone when it has no name).
    fn lookup(self) -> ContactLookup {
        let full_name = self.full_name.or(self.name).unwrap_or_default();
        let full_name = if full_name.trim().is_empty() {
            self.email
                .clone()
                .or_else(|| self.phone.clone())
                .unwrap_or_default()
        } else {
            full_name
        };
        ContactLookup {
            id: self.id,
            new: NewContact {
                full_name,
                email: self.email,
                phone: self.phone,
                organization_id: None,
            },
            match_email: true,
            match_phone: true,
            keep_duplicate: false,
        }
    }
}

/// The body of an upsert: a deal body with the `id` of the deal to update (created when absent
/// or unknown).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"id": 101, "name": "Acme renewal", "stage_id": 2, "contact_attributes": {"email": "ana@acme.test", "full_name": "Ana Costa"}}))]
pub struct UpsertBody {
    #[serde(default, deserialize_with = "de::int")]
    id: Option<DealId>,
    #[schema(inline)]
    #[serde(flatten)]
    deal: DealBody,
}

/// The body of a search.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"query": {"name_cont": "acme", "status_eq": "open"}, "page": 1, "items": 20}))]
pub struct SearchBody {
    /// Ransack predicates `<attribute>_<predicate>`, all combined with AND. Predicates: `eq`,
    /// `not_eq`, `cont`, `not_cont`, `start`, `end`, `gt`, `gteq`, `lt`, `lteq`, `in`, `not_in`,
    /// `null`, `not_null`, `present`, `blank`. Attributes: `id`, `name`, `status`, `stage_id`,
    /// `pipeline_id`, `contact_id`, `position`, `created_by_id`, `lost_reason`, `created_at`,
    /// `updated_at`, `won_at`, `lost_at`. Unknown predicates or attributes answer 422.
    #[schema(value_type = Option<Object>)]
    query: Option<Map<String, Value>>,
    /// Page number, from 1 (default 1).
    #[serde(default, deserialize_with = "de::int")]
    page: Option<i64>,
    /// Rows per page, 1–100 (default 20).
    #[serde(default, deserialize_with = "de::int")]
    items: Option<i64>,
}

/// `page` and `items` may also come in the query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Page number, from 1.
    page: Option<String>,
    /// Rows per page.
    items: Option<String>,
}

/// A whole number of the query string (empty is none).
fn query_number(field: &str, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::invalid(field, format!("\"{v}\" is not a whole number")))
        })
        .transpose()
}

/// Creates a deal in the stage's pipeline at the end of its column.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/deals", tag = ACCOUNTS,
    operation_id = "createDeal",
    params(("account_id" = i64, Path, description = "The key's account id")),
    request_body = DealBody,
    responses(
        (status = 201, description = "The new deal", body = DealRecord),
        AccountsBodyErrors, AccountsNotFound, AccountsAuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: AccountKey<DealsWrite>,
    body: Body<DealBody, Accounts>,
) -> Result<(StatusCode, Json<DealRecord>), ApiError> {
    let actor = key.actor();
    let fields = body.value()?.fields();
    let deal = writes::create(&state.db, actor, &fields).await?;
    let record = records::get(&state.db, actor, deal.id).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// Searches the account's deals with Ransack-style predicates, a page at a time.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/deals/search", tag = ACCOUNTS,
    operation_id = "searchDeals",
    params(("account_id" = i64, Path, description = "The key's account id"), SearchParams),
    request_body = SearchBody,
    responses(
        (status = 200, description = "A page of deals with pagy-style pagination", body = SearchPage),
        AccountsBodyErrors, AccountsNotFound, AccountsAuthErrors,
    ))]
pub async fn search(
    State(state): State<AppState>,
    key: AccountKey<DealsRead>,
    Query(qs): Query<SearchParams>,
    body: Body<SearchBody, Accounts>,
) -> Result<Json<SearchPage>, ApiError> {
    let body = body.value()?;
    let page = match body.page {
        Some(n) => Some(n),
        None => query_number("page", qs.page.as_deref())?,
    };
    let items = match body.items {
        Some(n) => Some(n),
        None => query_number("items", qs.items.as_deref())?,
    };
    let query = body.query.unwrap_or_default();
    let page = records::search(&state.db, key.actor(), &query, page, items).await?;
    Ok(Json(page))
}

/// A deal with its contact, stage, pipeline, assignees and product lines.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/deals/{id}", tag = ACCOUNTS,
    operation_id = "getDeal",
    params(
        ("account_id" = i64, Path, description = "The key's account id"),
        ("id" = i64, Path, description = "Deal id"),
    ),
    responses(
        (status = 200, description = "The deal", body = DealDetail),
        AccountsNotFound, AccountsAuthErrors,
    ))]
pub async fn show(
    State(state): State<AppState>,
    key: AccountKey<DealsRead>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Json<DealDetail>, ApiError> {
    let detail = records::detail(&state.db, key.actor(), deal_id(&id)?).await?;
    Ok(Json(detail))
}

/// Changes the fields sent; the others stay.
#[utoipa::path(put, path = "/api/v1/accounts/{account_id}/deals/{id}", tag = ACCOUNTS,
    operation_id = "updateDeal",
    params(
        ("account_id" = i64, Path, description = "The key's account id"),
        ("id" = i64, Path, description = "Deal id"),
    ),
    request_body = DealBody,
    responses(
        (status = 200, description = "The deal after the change", body = DealRecord),
        AccountsBodyErrors, AccountsNotFound, AccountsAuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: AccountKey<DealsWrite>,
    Path((_, id)): Path<(String, String)>,
    body: Body<DealBody, Accounts>,
) -> Result<Json<DealRecord>, ApiError> {
    let actor = key.actor();
    let id = deal_id(&id)?;
    let fields = body.value()?.fields();
    let deal = writes::update(&state.db, actor, id, &fields).await?;
    Ok(Json(records::get(&state.db, actor, deal.id).await?))
}

/// Updates the deal with `id` when the account has it, else creates one; the contact comes
/// from `contact_id` or is found or created from `contact_attributes`.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/deals/upsert", tag = ACCOUNTS,
    operation_id = "upsertDeal",
    params(("account_id" = i64, Path, description = "The key's account id")),
    request_body = UpsertBody,
    responses(
        (status = 200, description = "An existing deal, updated", body = DealRecord),
        (status = 201, description = "A new deal", body = DealRecord),
        AccountsBodyErrors, AccountsNotFound, AccountsAuthErrors,
    ))]
pub async fn upsert(
    State(state): State<AppState>,
    key: AccountKey<DealsWrite>,
    body: Body<UpsertBody, Accounts>,
) -> Result<(StatusCode, Json<DealRecord>), ApiError> {
    let actor = key.actor();
    let body = body.value()?;
    let (deal, created) = writes::upsert(&state.db, actor, body.id, &body.deal.fields()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(records::get(&state.db, actor, deal.id).await?)))
}

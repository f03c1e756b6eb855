//! `/v1` — the sales API: opportunities (list, create, update, close) and the pipeline's
//! stages. Ids are public strings: `opp_…`, `lead_…` (contacts), `user_…`, `product_…`,
//! `stage_…`. Errors use the standard shape (see `error.rs`).

pub mod opportunities;

use crate::domain::{ContactId, DealId, DealStatus, OrganizationId, ProductId, StageId, UserId};
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::header::LINK;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, OpportunitiesRead, OpportunitiesWrite};
use super::body::{de, Body};
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::{ApiError, ErrorBody};
use crate::domain::deal_rules;
use crate::domain::money::cents_to_f64;
use crate::domain::public_id::{public_id, uuid_of};
use crate::server::db::api_ts;
use crate::server::db::Cursor;
use crate::server::services::deals::closing;
use crate::server::services::deals::edit::FieldChanges;
use crate::server::services::deals::products::NewLine;
use crate::server::services::deals::status::API_LOST_REASON;
use crate::server::services::deals::update::{self, DealChange, Place};
use crate::server::services::deals::{self, deal_id_by_uuid, id_by_uuid, NewDeal};
use crate::server::services::{pipelines, Actor};
use crate::server::{AppState, ServiceError};
use opportunities::{OpportunityQuery, OpportunityRow};

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, update, delete))
        .routes(routes!(close))
        .routes(routes!(stages))
}

/// An opportunity as the document shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Opportunity {
    #[schema(example = "opp_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "Acme — 50 seats")]
    pub name: String,
    /// In the currency's units, at most 2 decimals.
    #[schema(example = 15000.5)]
    pub value: f64,
    #[schema(example = "USD")]
    pub currency: String,
    /// The stage's key.
    #[schema(example = "qualified")]
    pub stage: String,
    /// `open`, `won` or `lost`.
    #[schema(example = "open")]
    pub status: String,
    /// Percent, from the deal or else its stage.
    #[schema(example = 40)]
    pub probability: i64,
    /// `YYYY-MM-DD`.
    #[schema(example = "2026-12-31")]
    pub expected_close_date: Option<String>,
    /// The contact (`lead_…`).
    pub lead_id: Option<String>,
    /// The responsible user (`user_…`).
    pub assigned_to: Option<String>,
    /// ISO 8601, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub won_at: Option<String>,
    pub lost_at: Option<String>,
    /// The value it was won at (`close` with `final_value`), in the currency's units.
    #[schema(example = 48000.0)]
    pub final_value: Option<f64>,
    /// The notes of a won close.
    pub close_notes: Option<String>,
    /// Where the lead came from (the intake's `lead_source`, or its tracker's).
    #[schema(example = "Website")]
    pub lead_source: Option<String>,
    /// The lead source's id (`src_…`).
    pub lead_source_id: Option<String>,
    /// The organization (`org_…`).
    pub organization_id: Option<String>,
    /// 1–5.
    pub quality_rating: Option<i64>,
    pub quality_reason: Option<String>,
    /// 0 private (the responsible user and supervisors), 1 team, 2 public.
    #[schema(example = 0)]
    pub visibility: i64,
    /// 1 (cold), 2 (warm), 3 (hot).
    pub temperature: Option<i64>,
    /// The marketing values the intake stored (`utm_source`, `wegly_code`, `gclid`, …).
    #[schema(value_type = Object, example = json!({"utm_source": "google", "utm_campaign": "spring"}))]
    pub marketing: serde_json::Value,
    /// The custom attributes stored with the deal (intake `custom_attributes`, deal page).
    #[schema(value_type = Object, example = json!({"seats": "50"}))]
    pub custom_attributes: serde_json::Value,
}

/// A stored JSON object, or an empty one when the text is not an object.
fn json_object(text: &str) -> serde_json::Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v @ serde_json::Value::Object(_)) => v,
        _ => serde_json::Value::Object(serde_json::Map::new()),
    }
}

impl From<&OpportunityRow> for Opportunity {
    fn from(o: &OpportunityRow) -> Self {
        Opportunity {
            id: public_id("opp", &o.uuid),
            name: o.title.clone(),
            value: cents_to_f64(o.value_cents),
            currency: o.currency.clone(),
            stage: o.stage_key.clone(),
            status: o.status.clone(),
            probability: o.probability,
            expected_close_date: o.expected_close_date.clone(),
            lead_id: o.contact_uuid.as_deref().map(|u| public_id("lead", u)),
            assigned_to: o.user_uuid.as_deref().map(|u| public_id("user", u)),
            created_at: api_ts(&o.created_at),
            updated_at: api_ts(&o.updated_at),
            won_at: o.won_at.as_deref().map(api_ts),
            lost_at: o.lost_at.as_deref().map(api_ts),
            final_value: o.final_value_cents.map(cents_to_f64),
            close_notes: o.close_notes.clone().filter(|n| !n.is_empty()),
            lead_source: o.lead_source.clone(),
            lead_source_id: o.lead_source_uuid.as_deref().map(|u| public_id("src", u)),
            organization_id: o.organization_uuid.as_deref().map(|u| public_id("org", u)),
            quality_rating: o.quality_rating,
            quality_reason: o.quality_reason.clone(),
            visibility: o.visibility,
            temperature: o.temperature,
            marketing: json_object(&o.marketing),
            custom_attributes: json_object(&o.custom_attributes),
        }
    }
}

/// One page of opportunities.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpportunityPage {
    pub data: Vec<Opportunity>,
    pub meta: PageMeta,
}

/// Where a page sits in the whole list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageMeta {
    #[schema(example = 1)]
    pub page: i64,
    #[schema(example = 20)]
    pub per_page: i64,
    /// Rows matching the filters, on every page.
    #[schema(example = 57)]
    pub total: i64,
    #[schema(example = 3)]
    pub pages: i64,
}

impl PageMeta {
    /// The meta of page `page` of `total` rows, `per_page` at a time (at least one page).
    pub fn new(page: i64, per_page: i64, total: i64) -> Self {
        let pages = (total + per_page - 1) / per_page.max(1);
        PageMeta {
            page,
            per_page,
            total,
            pages: pages.max(1),
        }
    }
}

/// Filters of the opportunity list; all optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, from 1 (default 1).
    page: Option<String>,
    /// Where a page starts, as the `Link: <…>; rel="next"` header of the page before it gave
    /// it (`page` is then read from the cursor): deep pages come as fast as the first.
    cursor: Option<String>,
    /// Rows per page, 1–100 (default 20); more than 100 answers 422.
    per_page: Option<String>,
    /// A stage key of the primary pipeline.
    stage: Option<String>,
    /// A user id (`user_…`); an unknown id matches nothing.
    assigned_to: Option<String>,
    /// Minimum value, inclusive.
    min_value: Option<String>,
    /// Maximum value, inclusive.
    max_value: Option<String>,
    /// `open`, `won` or `lost`.
    status: Option<String>,
}

/// The body of `POST /v1/opportunities`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Acme — 50 seats", "value": 15000.5, "currency": "USD", "stage": "qualified", "expected_close_date": "2026-12-31"}))]
pub struct NewOpportunity {
    /// Required, at most 150 characters.
    #[schema(required = true)]
    name: Option<String>,
    /// At most 2 decimals (default 0).
    #[serde(default, deserialize_with = "de::money")]
    #[schema(value_type = Option<f64>)]
    value: Option<i64>,
    /// ISO 4217 code (default: the account's currency).
    currency: Option<String>,
    /// A stage key (default: the first stage of the primary pipeline).
    stage: Option<String>,
    /// A contact id (`lead_…`).
    lead_id: Option<String>,
    /// A user id (`user_…`; default: the key's owner).
    assigned_to: Option<String>,
    /// `YYYY-MM-DD`.
    expected_close_date: Option<String>,
    /// Product ids (`product_…`), one line each at the product's price.
    products: Option<Vec<String>>,
}

/// The body of `PATCH /v1/opportunities/{id}`: fields present change, the others stay.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"value": 18000, "stage": "proposal"}))]
pub struct OpportunityChanges {
    name: Option<String>,
    #[serde(default, deserialize_with = "de::money")]
    #[schema(value_type = Option<f64>)]
    value: Option<i64>,
    currency: Option<String>,
    /// A stage key; the opportunity moves to the end of that column.
    stage: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "de::nullable")]
    #[schema(value_type = Option<String>)]
    lead_id: Option<Option<String>>,
    /// The responsible user (`user_…`); `null` leaves the opportunity without one.
    #[serde(default, deserialize_with = "de::nullable")]
    #[schema(value_type = Option<String>)]
    assigned_to: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "de::nullable")]
    #[schema(value_type = Option<String>)]
    expected_close_date: Option<Option<String>>,
    /// The organization (`org_…`); `null` clears it.
    #[serde(default, deserialize_with = "de::nullable")]
    #[schema(value_type = Option<String>)]
    organization_id: Option<Option<String>>,
    /// The lead source (`src_…`); `null` clears it.
    #[serde(default, deserialize_with = "de::nullable")]
    #[schema(value_type = Option<String>)]
    lead_source_id: Option<Option<String>>,
    /// 1–5; `null` clears it.
    #[serde(default, deserialize_with = "de::nullable_int")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 5)]
    quality_rating: Option<Option<i64>>,
    /// Why the rating (required with a rating when the account asks for reasons).
    quality_reason: Option<String>,
    /// 0 private (the responsible user and supervisors), 1 team, 2 public.
    #[serde(default, deserialize_with = "de::int_not_null")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 2)]
    visibility: Option<i64>,
    /// 1 (cold), 2 (warm), 3 (hot); `null` clears it.
    #[serde(default, deserialize_with = "de::nullable_int")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 3)]
    temperature: Option<Option<i64>>,
}

/// The body of `POST /v1/opportunities/{id}/close`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"status": "won", "final_value": 16500, "close_notes": "Signed for two years"}))]
pub struct CloseOpportunity {
    /// `won` or `lost`.
    #[schema(required = true)]
    status: Option<String>,
    /// Won only: the final value (default: the current value).
    #[serde(default, deserialize_with = "de::money")]
    #[schema(value_type = Option<f64>)]
    final_value: Option<i64>,
    /// Won: close notes; lost: the lost reason.
    close_notes: Option<String>,
}

/// A stage of the primary pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stage {
    #[schema(example = "stage_6a1c0d7e2b9f4c3a8d5e1f2a3b4c5d6e")]
    pub id: String,
    #[schema(example = "qualified")]
    pub key: String,
    #[schema(example = "Qualified")]
    pub name: String,
    /// Position in the pipeline, from 1.
    #[schema(example = 3)]
    pub order: usize,
    #[schema(example = 40)]
    pub probability: i64,
}

/// The stages of the primary pipeline, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageList {
    pub data: Vec<Stage>,
}

/// Resolves a public id (`prefix_…`) of `table` to the account's row id, or 422 on `field`.
pub(super) async fn resolve(
    state: &AppState,
    actor: Actor,
    table: &'static str,
    prefix: &str,
    field: &str,
    id: &str,
) -> Result<i64, ApiError> {
    let uuid = uuid_of(prefix, id)
        .ok_or_else(|| ApiError::invalid(field, format!("\"{id}\" is not a {prefix}_… id")))?;
    Ok(id_by_uuid(&state.db, table, actor.account_id, &uuid, field).await?)
}

/// The stage with key `key` in the account's primary pipeline, or 422 on `stage`.
async fn stage_by_key(state: &AppState, actor: Actor, key: &str) -> Result<StageId, ApiError> {
    let pipeline = pipelines::primary_pipeline_id(&state.db, actor.account_id).await?;
    pipelines::stage_by_key(&state.db, actor.account_id, pipeline, key.trim())
        .await?
        .map(|s| s.id)
        .ok_or_else(|| {
            ApiError::invalid(
                "stage",
                format!("no stage \"{}\" in the pipeline", key.trim()),
            )
        })
}

/// The opportunity as it is now, as the answer to a change.
pub(crate) async fn answer(
    state: &AppState,
    actor: Actor,
    deal_id: DealId,
) -> Result<Json<Opportunity>, ApiError> {
    let row = opportunities::get(&state.db, actor, deal_id).await?;
    Ok(Json(Opportunity::from(&row)))
}

/// The deal behind an `opp_…` path id, or 404.
pub(crate) async fn deal_of(state: &AppState, actor: Actor, id: &str) -> Result<DealId, ApiError> {
    let not_found = || ApiError::not_found("opportunity");
    let uuid = uuid_of("opp", id).ok_or_else(not_found)?;
    deal_id_by_uuid(&state.db, actor, &uuid)
        .await
        .map_err(|e| match e {
            ServiceError::NotFound(_) => not_found(),
            e => e.into(),
        })
}

/// Lists the account's opportunities, newest first, with filters and pages.
#[utoipa::path(get, path = "/v1/opportunities", tag = SALES, operation_id = "listOpportunities",
    params(ListParams),
    responses(
        (status = 200, description = "A page of opportunities", body = OpportunityPage,
            headers(("Link" = String, description = "`</v1/opportunities?…&cursor=…>; rel=\"next\"`: the next page with the same filters, read as fast however deep in the list; absent on the last page"))),
        (status = 422, description = "A filter has a bad value (`VALIDATION_ERROR`, `field` names it)", body = ErrorBody),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    RawQuery(raw): RawQuery,
    Query(q): Query<ListParams>,
) -> Result<(HeaderMap, Json<OpportunityPage>), ApiError> {
    // An id that names no user matches nothing.
    let assigned_to = q
        .assigned_to
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|id| uuid_of("user", id).unwrap_or_else(|| format!("!{id}")));
    let query = OpportunityQuery {
        page: q.page,
        cursor: q.cursor,
        per_page: q.per_page,
        stage: q.stage,
        assigned_to,
        min_value: q.min_value,
        max_value: q.max_value,
        status: q.status,
    };
    let page = opportunities::list(&state.db, key.actor(), &query).await?;
    let mut headers = HeaderMap::new();
    if let Some(next) = &page.next_cursor {
        let link = next_link("/v1/opportunities", raw.as_deref(), next);
        if let Ok(value) = HeaderValue::from_str(&link) {
            headers.insert(LINK, value);
        }
    }
    Ok((
        headers,
        Json(OpportunityPage {
            data: page.rows.iter().map(Opportunity::from).collect(),
            meta: PageMeta::new(page.page, page.per_page, page.total),
        }),
    ))
}

/// `Link: <path?query&cursor=…>; rel="next"` (RFC 8288): the query as the client sent it, but
/// for its `page` and `cursor`, and the next page's cursor.
fn next_link(path: &str, query: Option<&str>, next: &Cursor) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if k != "page" && k != "cursor" {
            out.append_pair(&k, &v);
        }
    }
    out.append_pair("cursor", &next.encode());
    format!("<{path}?{}>; rel=\"next\"", out.finish())
}

/// Creates an opportunity, with one line per product.
#[utoipa::path(post, path = "/v1/opportunities", tag = SALES, operation_id = "createOpportunity",
    request_body = NewOpportunity,
    responses(
        (status = 201, description = "The new opportunity", body = Opportunity),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    body: Body<NewOpportunity>,
) -> Result<(StatusCode, Json<Opportunity>), ApiError> {
    let actor = key.actor();
    let body = body.value()?;
    let name = body
        .name
        .ok_or_else(|| ApiError::invalid("name", "is required"))?;
    let stage_id = match &body.stage {
        Some(k) => Some(stage_by_key(&state, actor, k).await?),
        None => None,
    };
    let contact_id = match &body.lead_id {
        Some(id) => Some(ContactId(
            resolve(&state, actor, "contacts", "lead", "lead_id", id).await?,
        )),
        None => None,
    };
    let responsible = match &body.assigned_to {
        Some(id) => Some(UserId(
            resolve(&state, actor, "users", "user", "assigned_to", id).await?,
        )),
        None => key.principal.user_id,
    };
    let mut lines = Vec::new();
    for id in body.products.iter().flatten() {
        let product_id =
            ProductId(resolve(&state, actor, "products", "product", "products", id).await?);
        lines.push(NewLine {
            product_id,
            quantity: 1,
            unit_amount: String::new(),
        });
    }
    let new = NewDeal {
        title: name,
        value_cents: body.value.unwrap_or(0),
        currency: body.currency,
        stage_id,
        contact_id,
        responsible_user_id: responsible,
        expected_close_date: body.expected_close_date,
        status: DealStatus::Open,
        ..Default::default()
    };
    let deal = deals::create::create_with_lines(&state.db, actor, new, &lines)
        .await
        .map_err(|e| match e {
            // A line's product is what this API calls `products`.
            ServiceError::Validation { field, message } if field == "product_id" => {
                ApiError::invalid("products", message)
            }
            e => e.into(),
        })?;
    let row = opportunities::get(&state.db, actor, deal.id).await?;
    Ok((StatusCode::CREATED, Json(Opportunity::from(&row))))
}

/// Changes the fields present in the body; the others stay.
#[utoipa::path(patch, path = "/v1/opportunities/{id}", tag = SALES, operation_id = "updateOpportunity",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    request_body = OpportunityChanges,
    responses(
        (status = 200, description = "The opportunity after the change", body = Opportunity),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path(id): Path<String>,
    body: Body<OpportunityChanges>,
) -> Result<Json<Opportunity>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    let mut fields = FieldChanges {
        title: body.name,
        value_cents: body.value,
        currency: body.currency,
        quality_rating: body.quality_rating,
        quality_reason: body.quality_reason,
        visibility: body.visibility,
        temperature: body.temperature,
        ..FieldChanges::default()
    };
    if let Some(date) = body.expected_close_date {
        fields.expected_close_date = Some(deal_rules::close_date(&date.unwrap_or_default())?);
    }
    if let Some(lead) = body.lead_id {
        fields.contact_id = Some(match lead {
            Some(id) => Some(ContactId(
                resolve(&state, actor, "contacts", "lead", "lead_id", &id).await?,
            )),
            None => None,
        });
    }
    if let Some(id) = body.assigned_to {
        fields.responsible_user_id = Some(match id {
            Some(id) => Some(UserId(
                resolve(&state, actor, "users", "user", "assigned_to", &id).await?,
            )),
            None => None,
        });
    }
    if let Some(id) = body.organization_id {
        fields.organization_id = Some(match id {
            Some(id) => Some(OrganizationId(
                resolve(
                    &state,
                    actor,
                    "organizations",
                    "org",
                    "organization_id",
                    &id,
                )
                .await?,
            )),
            None => None,
        });
    }
    if let Some(id) = body.lead_source_id {
        fields.lead_source_id = Some(match id {
            Some(id) => {
                Some(resolve(&state, actor, "lead_sources", "src", "lead_source_id", &id).await?)
            }
            None => None,
        });
    }
    let stage_id = match &body.stage {
        Some(stage) => Some(stage_by_key(&state, actor, stage).await?),
        None => None,
    };
    let change = DealChange {
        fields,
        place: Place {
            stage_id,
            ..Place::default()
        },
        ..DealChange::default()
    };
    update::update(&state.db, actor, deal_id, &change).await?;
    answer(&state, actor, deal_id).await
}

/// Deletes an opportunity for good, with its people, tags, product lines, notes, activities
/// and timeline (its quotes stay, without an opportunity); `deal.deleted` subscriptions get it
/// as it was. A key acting for a salesperson deletes only the opportunities they are
/// responsible for.
#[utoipa::path(delete, path = "/v1/opportunities/{id}", tag = SALES, operation_id = "deleteOpportunity",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    deals::delete::delete_deal(&state.db, actor, deal_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One opportunity, with the lead source, marketing values and custom attributes it was
/// stored with.
#[utoipa::path(get, path = "/v1/opportunities/{id}", tag = SALES, operation_id = "getOpportunity",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    responses(
        (status = 200, description = "The opportunity", body = Opportunity),
        NotFound, AuthErrors,
    ))]
pub async fn read(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Path(id): Path<String>,
) -> Result<Json<Opportunity>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    answer(&state, actor, deal_id).await
}

/// Closes an opportunity as won (with a final value and notes) or lost (notes as the reason);
/// `won_at` / `lost_at` are set by the server.
#[utoipa::path(post, path = "/v1/opportunities/{id}/close", tag = SALES, operation_id = "closeOpportunity",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    request_body = CloseOpportunity,
    responses(
        (status = 200, description = "The closed opportunity", body = Opportunity),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn close(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path(id): Path<String>,
    body: Body<CloseOpportunity>,
) -> Result<Json<Opportunity>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    let notes = body.close_notes.unwrap_or_default();
    match body.status.as_deref().map(str::trim) {
        Some("won") => {
            closing::mark_won(&state.db, actor, deal_id, body.final_value, &notes).await?;
        }
        Some("lost") => {
            let reason = if notes.trim().is_empty() {
                API_LOST_REASON
            } else {
                notes.as_str()
            };
            closing::mark_lost(&state.db, actor, deal_id, reason).await?;
        }
        Some(other) => {
            return Err(ApiError::invalid(
                "status",
                format!("\"{other}\" is not won or lost"),
            ))
        }
        None => return Err(ApiError::invalid("status", "is required: won or lost")),
    }
    answer(&state, actor, deal_id).await
}

/// The primary pipeline's stages in order.
#[utoipa::path(get, path = "/v1/pipeline/stages", tag = SALES, operation_id = "listStages",
    responses(
        (status = 200, description = "The stages", body = StageList),
        AuthErrors,
    ))]
pub async fn stages(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<StageList>, ApiError> {
    let account_id = key.principal.account_id;
    let pipeline = pipelines::primary_pipeline_id(&state.db, account_id).await?;
    let stages = pipelines::stages_of(&state.db, account_id, pipeline).await?;
    let data = stages
        .iter()
        .enumerate()
        .map(|(i, s)| Stage {
            id: public_id("stage", &s.uuid),
            key: s.key.clone(),
            name: s.name.clone(),
            order: i + 1,
            probability: s.probability,
        })
        .collect();
    Ok(Json(StageList { data }))
}

//! `/v1/opportunities/{id}/products` — an opportunity's product lines: list, add (a product of
//! the catalog, a quantity and optionally another unit price) and remove, through the same
//! service as the deal page. A line keeps its own copy of the product's name.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, OpportunitiesRead, OpportunitiesWrite};
use super::body::{de, Body};
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::ApiError;
use super::sales_v1::deal_of;
use crate::domain::deal::LineItem;
use crate::domain::money::cents_to_f64;
use crate::domain::ProductId;
use crate::server::services::deals::page::lines;
use crate::server::services::deals::products::{self, NewLine};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(remove))
}

/// A product line of an opportunity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductLine {
    #[schema(example = "line_12")]
    pub id: String,
    #[schema(example = "Seat licence")]
    pub product_name: String,
    #[schema(example = "PRO-1Y")]
    pub product_identifier: String,
    #[schema(example = 10)]
    pub quantity: i64,
    /// In the opportunity's currency units.
    #[schema(example = 120.0)]
    pub unit_amount: f64,
    #[schema(example = 1200.0)]
    pub total_amount: f64,
}

impl From<LineItem> for ProductLine {
    fn from(l: LineItem) -> Self {
        ProductLine {
            id: format!("line_{}", l.id),
            product_name: l.product_name,
            product_identifier: l.product_identifier,
            quantity: l.quantity,
            unit_amount: cents_to_f64(l.unit_amount_cents),
            total_amount: cents_to_f64(l.total_amount_cents),
        }
    }
}

/// An opportunity's product lines in the order added.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductLineList {
    pub data: Vec<ProductLine>,
}

/// A line to add.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"product_id": "product_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812", "quantity": 10}))]
pub struct NewLineBody {
    /// A product of the catalog that is still sold (`product_…`).
    product_id: String,
    /// 1 to 1 000 000 (default 1).
    #[serde(default, deserialize_with = "de::int")]
    quantity: Option<i64>,
    /// The unit price, when not the product's; not negative, at most 2 decimals.
    #[serde(default, deserialize_with = "de::money")]
    #[schema(value_type = Option<f64>)]
    unit_amount: Option<i64>,
}

/// The opportunity's product lines.
#[utoipa::path(get, path = "/v1/opportunities/{id}/products", tag = SALES,
    operation_id = "listOpportunityProducts",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    responses(
        (status = 200, description = "The product lines", body = ProductLineList),
        NotFound, AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Path(id): Path<String>,
) -> Result<Json<ProductLineList>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let rows = lines(&state.db, actor.account_id, deal_id).await?;
    Ok(Json(ProductLineList {
        data: rows.into_iter().map(ProductLine::from).collect(),
    }))
}

/// Adds a product line to the opportunity.
#[utoipa::path(post, path = "/v1/opportunities/{id}/products", tag = SALES,
    operation_id = "addOpportunityProduct",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    request_body = NewLineBody,
    responses(
        (status = 201, description = "The new line", body = ProductLine),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn add(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path(id): Path<String>,
    body: Body<NewLineBody>,
) -> Result<(StatusCode, Json<ProductLine>), ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    let product = super::record_of(
        &state,
        actor,
        ("products", "product", "product"),
        &body.product_id,
    )
    .await
    .map_err(|_| {
        ApiError::invalid(
            "product_id",
            format!("no product \"{}\" in this account", body.product_id),
        )
    })?;
    let new = NewLine {
        product_id: ProductId(product),
        quantity: body.quantity.unwrap_or(1),
        unit_amount: body
            .unit_amount
            .map(|c| format!("{}.{:02}", c / 100, c % 100))
            .unwrap_or_default(),
    };
    let line_id = products::add_line(&state.db, actor, deal_id, &new).await?;
    let line = lines(&state.db, actor.account_id, deal_id)
        .await?
        .into_iter()
        .find(|l| l.id == line_id)
        .ok_or_else(|| ApiError::not_found("line"))?;
    Ok((StatusCode::CREATED, Json(line.into())))
}

/// Removes a product line from the opportunity.
#[utoipa::path(delete, path = "/v1/opportunities/{id}/products/{line_id}", tag = SALES,
    operation_id = "removeOpportunityProduct",
    params(
        ("id" = String, Path, description = "Opportunity id (`opp_…`)"),
        ("line_id" = String, Path, description = "Line id (`line_…`)"),
    ),
    responses(
        (status = 204, description = "Removed"),
        NotFound, AuthErrors,
    ))]
pub async fn remove(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, line)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let line_id = line
        .strip_prefix("line_")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| ApiError::not_found("line"))?;
    products::remove_line(&state.db, actor, deal_id, line_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

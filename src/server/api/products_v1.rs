//! `/v1/products` — the account's catalog (`product_…`, the ids `POST /v1/opportunities` takes
//! in `products`): list, add, change, and retire or restore (`active`), through the same
//! service and rules as the settings page. Listing needs `opportunities:read`; changes need
//! `config:manage`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ConfigManage, Key, OpportunitiesRead};
use super::body::{de, Body};
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::ApiError;
use crate::domain::money::cents_to_f64;
use crate::domain::public_id::public_id;
use crate::domain::ProductId;
use crate::server::services::catalog::{self, ProductInput};
use crate::server::services::{Actor, Configurer};
use crate::server::{AppState, ServiceError};

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update))
}

/// A product as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductOut {
    #[schema(example = "product_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "Seat licence")]
    pub name: String,
    #[schema(example = "SEAT-1")]
    pub identifier: String,
    /// In the currency's units.
    #[schema(example = 12.5)]
    pub unit_amount: f64,
    #[schema(example = "USD")]
    pub currency: String,
    /// Retired products are not offered for new lines.
    pub active: bool,
}

/// The catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductList {
    pub data: Vec<ProductOut>,
}

/// A product to add, or its fields (all given) to change.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Seat licence", "identifier": "SEAT-1", "unit_amount": "12.50", "currency": "USD"}))]
pub struct ProductBody {
    /// 1 to 150 characters.
    name: String,
    #[serde(default)]
    identifier: String,
    /// At most two decimals (a number or a string).
    #[serde(deserialize_with = "de::amount_text")]
    #[schema(value_type = String)]
    unit_amount: String,
    /// ISO 4217 (default USD).
    #[serde(default)]
    currency: String,
    /// On a change: `false` retires it, `true` restores it (left out: unchanged). New products
    /// are active.
    active: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct Row {
    uuid: String,
    name: String,
    identifier: String,
    unit_amount_cents: i64,
    currency: String,
    active: i64,
}

impl From<Row> for ProductOut {
    fn from(r: Row) -> Self {
        ProductOut {
            id: public_id("product", &r.uuid),
            name: r.name,
            identifier: r.identifier,
            unit_amount: cents_to_f64(r.unit_amount_cents),
            currency: r.currency,
            active: r.active != 0,
        }
    }
}

const SELECT: &str =
    "SELECT id, uuid, name, identifier, unit_amount_cents, currency, active FROM products \
     WHERE account_id = $1";

/// The account's products (all, or the one with `id`).
async fn rows(state: &AppState, actor: Actor, id: Option<ProductId>) -> Result<Vec<Row>, ApiError> {
    let sql = match id {
        Some(_) => format!("{SELECT} AND id = $2"),
        None => format!("{SELECT} ORDER BY name, id"),
    };
    let mut q = sqlx::query_as::<_, Row>(&sql).bind(actor.account_id);
    if let Some(id) = id {
        q = q.bind(id);
    }
    Ok(q.fetch_all(&state.db.pool)
        .await
        .map_err(ServiceError::from)?)
}

/// The account's product a public id names; "not found" otherwise.
async fn product_of(state: &AppState, actor: Actor, id: &str) -> Result<ProductId, ApiError> {
    super::record_of(state, actor, ("products", "product", "product"), id)
        .await
        .map(ProductId)
}

async fn one(state: &AppState, actor: Actor, id: ProductId) -> Result<ProductOut, ApiError> {
    rows(state, actor, Some(id))
        .await?
        .pop()
        .map(ProductOut::from)
        .ok_or_else(|| ApiError::not_found("product"))
}

impl ProductBody {
    fn input(&self) -> ProductInput {
        ProductInput {
            name: self.name.clone(),
            identifier: self.identifier.clone(),
            unit_amount: self.unit_amount.clone(),
            currency: self.currency.clone(),
        }
    }
}

/// The account's products by name, retired ones included.
#[utoipa::path(get, path = "/v1/products", tag = SALES, operation_id = "listProducts",
    responses(
        (status = 200, description = "The catalog", body = ProductList),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<ProductList>, ApiError> {
    let data = rows(&state, key.actor(), None).await?;
    Ok(Json(ProductList {
        data: data.into_iter().map(ProductOut::from).collect(),
    }))
}

/// Adds a product to the catalog.
#[utoipa::path(post, path = "/v1/products", tag = SALES, operation_id = "createProduct",
    request_body = ProductBody,
    responses(
        (status = 201, description = "The new product", body = ProductOut),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<ProductBody>,
) -> Result<(StatusCode, Json<ProductOut>), ApiError> {
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    let id = catalog::add_product(&state.db, by, &body.input()).await?;
    Ok((
        StatusCode::CREATED,
        Json(one(&state, key.actor(), id).await?),
    ))
}

/// Changes a product (lines already on deals keep their prices); `active` retires or restores.
#[utoipa::path(patch, path = "/v1/products/{id}", tag = SALES, operation_id = "updateProduct",
    params(("id" = String, Path, description = "Product id (`product_…`)")),
    request_body = ProductBody,
    responses(
        (status = 200, description = "The product after the change", body = ProductOut),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    body: Body<ProductBody>,
) -> Result<Json<ProductOut>, ApiError> {
    let actor = key.actor();
    let id = product_of(&state, actor, &id).await?;
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    catalog::change_product(&state.db, by, id, &body.input(), body.active).await?;
    Ok(Json(one(&state, actor, id).await?))
}

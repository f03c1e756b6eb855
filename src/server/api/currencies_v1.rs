//! `/v1/exchange-rates` — the rates that convert deals in other currencies to the account's
//! base currency (which `PATCH /v1/settings` changes): list (`opportunities:read`), set and
//! delete (`config:manage`), through the same service as the settings page.

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
use crate::server::services::currencies::{self, RateRow};
use crate::server::services::Configurer;
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, set))
        .routes(routes!(delete))
}

/// One currency's rate from a day on.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateBody {
    /// ISO 4217.
    #[schema(example = "EUR")]
    pub currency: String,
    /// The rate holds from this day until the next day given for the currency.
    #[schema(example = "2026-12-01")]
    pub day: String,
    /// What one unit of `currency` is worth in the base currency, a decimal string with up
    /// to 8 decimals.
    #[schema(example = "1.0842")]
    pub rate: String,
}

impl From<RateRow> for RateBody {
    fn from(r: RateRow) -> Self {
        RateBody {
            currency: r.currency,
            day: r.day,
            rate: r.rate.decimal(),
        }
    }
}

/// The rates to the base currency, by currency and day.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateList {
    /// The account's base currency (ISO 4217).
    #[schema(example = "USD")]
    pub base_currency: String,
    pub data: Vec<RateBody>,
}

/// A rate to set (replacing the one given for the same currency and day).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"currency": "EUR", "day": "2026-12-01", "rate": "1.0842"}))]
pub struct NewRate {
    /// ISO 4217, not the base currency.
    currency: String,
    /// `YYYY-MM-DD`.
    day: String,
    /// Above zero, up to 8 decimals; a string or a number.
    #[serde(deserialize_with = "de::amount_text")]
    #[schema(value_type = String)]
    rate: String,
}

/// The rates to the base currency, by currency and day.
#[utoipa::path(get, path = "/v1/exchange-rates", tag = SALES, operation_id = "listExchangeRates",
    responses(
        (status = 200, description = "The rates", body = RateList),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<RateList>, ApiError> {
    let (base, rows) = currencies::list(&state.db, key.actor().account_id).await?;
    Ok(Json(RateList {
        base_currency: base,
        data: rows.into_iter().map(RateBody::from).collect(),
    }))
}

/// Sets a currency's rate from a day on.
#[utoipa::path(put, path = "/v1/exchange-rates", tag = SALES, operation_id = "setExchangeRate",
    request_body = NewRate,
    responses(
        (status = 200, description = "The rate as kept", body = RateBody),
        BodyErrors, AuthErrors,
    ))]
pub async fn set(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<NewRate>,
) -> Result<Json<RateBody>, ApiError> {
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    let row = currencies::set_rate(&state.db, by, &body.currency, &body.day, &body.rate).await?;
    Ok(Json(row.into()))
}

/// Deletes the rate given for a currency and day.
#[utoipa::path(delete, path = "/v1/exchange-rates/{currency}/{day}", tag = SALES, operation_id = "deleteExchangeRate",
    params(
        ("currency" = String, Path, description = "ISO 4217"),
        ("day" = String, Path, description = "`YYYY-MM-DD`"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path((currency, day)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let by = Configurer::for_api_key(&key.principal);
    currencies::delete_rate(&state.db, by, &currency, &day).await?;
    Ok(StatusCode::NO_CONTENT)
}

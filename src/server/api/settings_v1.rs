//! `/v1/settings` and `/v1/lost-reasons` — the account settings the settings page changes:
//! the country national phone numbers are read in, and the reasons offered when a deal is
//! lost. Reading needs `opportunities:read`; changes need `config:manage`.

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
use crate::domain::AccountId;
use crate::server::services::{currencies, settings, Configurer};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read, change))
        .routes(routes!(list_reasons, add_reason))
        .routes(routes!(delete_reason))
}

/// The account's settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct Settings {
    /// ISO 3166 alpha-2: national phone numbers (without `+`) are read in this country.
    #[schema(example = "BR")]
    pub default_country: Option<String>,
    /// ISO 4217: the currency board totals, reports and the leaderboard are in; deals in
    /// other currencies convert by the rates of `/v1/exchange-rates`.
    #[schema(example = "USD")]
    pub base_currency: String,
}

/// Changes to the settings: what is left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"default_country": "BR", "base_currency": "BRL"}))]
pub struct SettingsChanges {
    /// ISO 3166 alpha-2, or `null` to read only international numbers.
    #[serde(default, deserialize_with = "de::nullable")]
    #[schema(value_type = Option<String>)]
    default_country: Option<Option<String>>,
    /// ISO 4217.
    base_currency: Option<String>,
}

/// A reason offered when a deal is lost.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostReason {
    #[schema(example = "reason_3")]
    pub id: String,
    #[schema(example = "Price")]
    pub name: String,
}

/// The lost reasons in their order.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostReasonList {
    pub data: Vec<LostReason>,
}

/// A lost reason to add at the end of the list.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Price"}))]
pub struct LostReasonBody {
    /// 1 to 100 characters, new to the list (ignoring case).
    name: String,
}

async fn settings_of(state: &AppState, account_id: AccountId) -> Result<Settings, ApiError> {
    Ok(Settings {
        default_country: settings::default_country(&state.db, account_id).await?,
        base_currency: currencies::base_currency(&state.db, account_id).await?,
    })
}

/// The account's settings.
#[utoipa::path(get, path = "/v1/settings", tag = SALES, operation_id = "getSettings",
    responses(
        (status = 200, description = "The settings", body = Settings),
        AuthErrors,
    ))]
pub async fn read(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<Settings>, ApiError> {
    Ok(Json(settings_of(&state, key.actor().account_id).await?))
}

/// Changes the account's settings.
#[utoipa::path(patch, path = "/v1/settings", tag = SALES, operation_id = "updateSettings",
    request_body = SettingsChanges,
    responses(
        (status = 200, description = "The settings after the change", body = Settings),
        BodyErrors, AuthErrors,
    ))]
pub async fn change(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<SettingsChanges>,
) -> Result<Json<Settings>, ApiError> {
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    if let Some(currency) = &body.base_currency {
        currencies::set_base_currency(&state.db, by, currency).await?;
    }
    if let Some(country) = body.default_country {
        settings::set_default_country(&state.db, by, country.as_deref().unwrap_or_default())
            .await?;
    }
    Ok(Json(settings_of(&state, key.actor().account_id).await?))
}

/// The lost reasons in their order.
#[utoipa::path(get, path = "/v1/lost-reasons", tag = SALES, operation_id = "listLostReasons",
    responses(
        (status = 200, description = "The lost reasons", body = LostReasonList),
        AuthErrors,
    ))]
pub async fn list_reasons(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<LostReasonList>, ApiError> {
    let reasons = settings::lost_reasons(&state.db, key.actor().account_id).await?;
    Ok(Json(LostReasonList {
        data: reasons
            .into_iter()
            .map(|r| LostReason {
                id: format!("reason_{}", r.id),
                name: r.name,
            })
            .collect(),
    }))
}

/// Adds a lost reason at the end of the list.
#[utoipa::path(post, path = "/v1/lost-reasons", tag = SALES, operation_id = "createLostReason",
    request_body = LostReasonBody,
    responses(
        (status = 201, description = "The new reason", body = LostReason),
        BodyErrors, AuthErrors,
    ))]
pub async fn add_reason(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<LostReasonBody>,
) -> Result<(StatusCode, Json<LostReason>), ApiError> {
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    let reason = settings::add_lost_reason(&state.db, by, &body.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(LostReason {
            id: format!("reason_{}", reason.id),
            name: reason.name,
        }),
    ))
}

/// Removes a lost reason (deals keep the text they were lost with).
#[utoipa::path(delete, path = "/v1/lost-reasons/{id}", tag = SALES, operation_id = "deleteLostReason",
    params(("id" = String, Path, description = "Reason id (`reason_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete_reason(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = id
        .strip_prefix("reason_")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| ApiError::not_found("lost reason"))?;
    let by = Configurer::for_api_key(&key.principal);
    settings::delete_lost_reason(&state.db, by, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

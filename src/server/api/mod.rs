//! The JSON API surfaces external systems call. Handlers authenticate the key, translate the
//! surface's shapes and call the same services the pages use.

pub mod accounts_v1;
pub mod activities_v1;
pub mod audit_v1;
pub mod auth;
pub mod automations;
pub mod body;
pub mod contacts_v1;
pub mod currencies_v1;
pub mod deal_attributes_v1;
pub mod deal_moves_v1;
pub mod deal_people_v1;
pub mod deal_products_v1;
pub mod doc;
pub mod docs_page;
pub mod error;
pub mod exports_v1;
pub mod external;
pub mod intake;
pub mod marketing_v1;
pub mod notes_v1;
pub mod organizations_v1;
pub mod pipelines_v1;
pub mod points_v1;
pub mod products_v1;
pub mod quotes_v1;
pub mod reports_v1;
pub mod sales_v1;
pub mod settings_v1;
pub mod tags_v1;
pub mod users_v1;
pub mod webhooks_v1;

use axum::body::Bytes;
use axum::http::{header, Uri};
use axum::response::Html;
use axum::routing::{any, get};
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::server::AppState;
use error::{ApiError, External, Standard};

/// Rows per page of every API list when none is asked for (document 003 says 20 for its run
/// log; the other documents are silent, so every list answers the same).
pub const DEFAULT_PER_PAGE: i64 = 20;
/// Most rows one page of any API list holds.
pub const MAX_PER_PAGE: i64 = 100;

/// `page` and `per_page` of a list request: whole numbers from 1 (by default 1 and
/// [`DEFAULT_PER_PAGE`]), `per_page` at most [`MAX_PER_PAGE`] (more is refused, not cut).
pub fn paging(page: Option<&str>, per_page: Option<&str>) -> Result<(i64, i64), ApiError> {
    let whole = |field: &str, value: Option<&str>, default: i64| match value
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => Ok(default),
        Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            ApiError::invalid(field, format!("\"{v}\" is not a whole number from 1 up"))
        }),
    };
    let page = whole("page", page, 1)?;
    let per_page = whole("per_page", per_page, DEFAULT_PER_PAGE)?;
    if per_page > MAX_PER_PAGE {
        return Err(ApiError::invalid(
            "per_page",
            format!("must be at most {MAX_PER_PAGE}"),
        ));
    }
    Ok((page, per_page))
}

/// The account's row of `table` that a public id (`<prefix>_…`) names; "not found" (as
/// `what`) for a malformed id, another account's or none at all.
pub async fn record_of(
    state: &AppState,
    actor: crate::server::services::Actor,
    (table, prefix, what): (&'static str, &str, &'static str),
    id: &str,
) -> Result<i64, ApiError> {
    let uuid =
        crate::domain::public_id::uuid_of(prefix, id).ok_or_else(|| ApiError::not_found(what))?;
    crate::server::services::deals::id_by_uuid(&state.db.pool, table, actor.account_id, &uuid, "id")
        .await
        .map_err(|e| match e {
            crate::server::ServiceError::Validation { .. } => ApiError::not_found(what),
            e => e.into(),
        })
}

/// Path prefixes served by the API (never by pages).
pub const PREFIXES: &[&str] = &["/v1/", "/api/", "/integrations/", "/external/"];

/// True for paths under an API prefix.
pub fn is_api_path(path: &str) -> bool {
    PREFIXES.iter().any(|p| path.starts_with(p))
}

/// The API routes with their OpenAPI document, both built from the handlers' annotations.
pub fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(doc::ApiDoc::openapi())
        .merge(external::routes())
        .merge(sales_v1::routes())
        .merge(activities_v1::routes())
        .merge(contacts_v1::routes())
        .merge(organizations_v1::routes())
        .merge(users_v1::routes())
        .merge(tags_v1::routes())
        .merge(products_v1::routes())
        .merge(deal_people_v1::routes())
        .merge(notes_v1::routes())
        .merge(pipelines_v1::routes())
        .merge(quotes_v1::routes())
        .merge(marketing_v1::routes())
        .merge(deal_products_v1::routes())
        .merge(deal_moves_v1::routes())
        .merge(deal_attributes_v1::routes())
        .merge(points_v1::routes())
        .merge(settings_v1::routes())
        .merge(accounts_v1::routes())
        .merge(intake::routes())
        .merge(automations::routes())
        .merge(webhooks_v1::routes())
        .merge(exports_v1::routes())
        .merge(audit_v1::routes())
        .merge(reports_v1::routes())
        .merge(currencies_v1::routes())
        .split_for_parts()
}

/// Every API route, the OpenAPI document at `/api/openapi.json`, its reference page at
/// `/api/docs`, and JSON 404s / 405s for everything else under the API prefixes.
pub fn routes() -> Router<AppState> {
    let (router, openapi) = documented();
    let spec = serde_json::to_value(&openapi).unwrap_or_default();
    let page = Bytes::from(docs_page::render(&spec));
    let json = Bytes::from(spec.to_string());
    router
        .route(
            "/api/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], json) }),
        )
        .route("/api/docs", get(move || async move { Html(page) }))
        .method_not_allowed_fallback(|uri: Uri| async move {
            error::fallback(uri.path(), ApiError::<Standard>::method_not_allowed)
        })
        .route(
            "/external/{*rest}",
            any(|| async { ApiError::<External>::no_route() }),
        )
        .route(
            "/v1/{*rest}",
            any(|| async { ApiError::<Standard>::no_route() }),
        )
        .route(
            "/api/{*rest}",
            any(|| async { ApiError::<Standard>::no_route() }),
        )
        .route(
            "/integrations/{*rest}",
            any(|| async { ApiError::<Standard>::no_route() }),
        )
}

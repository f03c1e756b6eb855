//! The JSON API surfaces external systems call. Handlers authenticate the key, translate the
//! surface's shapes and call the same services the pages use.

pub mod accounts_v1;
pub mod activities_v1;
pub mod auth;
pub mod body;
pub mod error;
pub mod external;
pub mod intake;
pub mod sales_v1;

use axum::http::Uri;
use axum::routing::any;
use axum::Router;

use crate::server::AppState;
use error::{ApiError, Surface};

/// Path prefixes served by the API (never by pages).
pub const PREFIXES: &[&str] = &["/v1/", "/api/", "/integrations/", "/external/"];

/// True for paths under an API prefix.
pub fn is_api_path(path: &str) -> bool {
    PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Every API route, with JSON 404s for unknown paths under the API prefixes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(external::routes())
        .merge(sales_v1::routes())
        .merge(activities_v1::routes())
        .merge(accounts_v1::routes())
        .merge(intake::routes())
        .method_not_allowed_fallback(|uri: Uri| async move {
            ApiError::method_not_allowed(Surface::of_path(uri.path()))
        })
        .route(
            "/external/{*rest}",
            any(|| async { ApiError::no_route(Surface::External) }),
        )
        .route(
            "/v1/{*rest}",
            any(|| async { ApiError::no_route(Surface::Standard) }),
        )
        .route(
            "/api/{*rest}",
            any(|| async { ApiError::no_route(Surface::Standard) }),
        )
        .route(
            "/integrations/{*rest}",
            any(|| async { ApiError::no_route(Surface::Standard) }),
        )
}

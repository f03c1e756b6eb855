//! Helpers shared by server functions: state, the signed-in user, and error mapping.

use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

use crate::domain::CurrentUser;
use crate::server::auth::current_user;
use crate::server::{AppState, ServiceError};

/// The application state provided to every server function.
pub fn app_state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>().ok_or_else(|| ServerFnError::new("application state missing"))
}

/// The browser session of this request.
pub async fn session() -> Result<Session, ServerFnError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| ServerFnError::new(format!("session unavailable: {e}")))
}

/// True when the request is a browser's plain form submission (no JavaScript), which follows
/// redirects and shows HTML rather than reading a server function's answer.
pub async fn plain_form_post() -> bool {
    leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|h| {
            h.get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// State and signed-in user, or a 401 error.
pub async fn signed_in() -> Result<(AppState, CurrentUser), ServerFnError> {
    let state = app_state()?;
    let session = session().await?;
    let user = current_user(&state.db, &session).await.map_err(fail)?;
    Ok((state, user))
}

/// State and signed-in user who may configure the account (owners and admins), or a 401 / 403.
pub async fn configurer() -> Result<(AppState, CurrentUser), ServerFnError> {
    let (state, user) = signed_in().await?;
    crate::server::auth::require_configure(&user).map_err(fail)?;
    Ok((state, user))
}

/// Maps a service error to a server-function error, setting its HTTP status
/// ([`ServiceError::status`]); a server fault is logged here, where it becomes the answer.
pub fn fail(e: ServiceError) -> ServerFnError {
    if let Some(res) = use_context::<ResponseOptions>() {
        res.set_status(e.status());
    }
    if e.is_server_fault() {
        tracing::error!(error = %e, code = e.code(), "server function failed");
    }
    ServerFnError::new(e.public_message())
}

/// An optional whole number typed or picked in a form field ("" is none).
pub fn form_id(field: &str, value: &str) -> Result<Option<i64>, ServerFnError> {
    match value.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| {
            fail(ServiceError::invalid(
                field,
                format!("\"{v}\" is not a number"),
            ))
        }),
    }
}

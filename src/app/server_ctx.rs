//! Helpers shared by server functions: state and the signed-in user. Their errors are
//! [`AppError`]s; a `ServiceError` becomes one with `?` (see [`super::error`]).

use leptos::prelude::*;
use tower_sessions::Session;

use super::error::AppError;
use crate::domain::CurrentUser;
use crate::server::auth::current_user;
use crate::server::{AppState, ServiceError};

/// The application state provided to every server function.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| ServiceError::Internal("application state missing".into()).into())
}

/// The browser session of this request.
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| ServiceError::Internal(format!("session unavailable: {e}")).into())
}

/// Signs this browser in as `user_id`, under a new session id (a session fixed before the
/// sign-in is not the one signed in).
pub async fn sign_in_as(user_id: crate::domain::UserId) -> Result<(), AppError> {
    let session = session().await?;
    session
        .cycle_id()
        .await
        .map_err(|e| ServiceError::Internal(format!("session: {e}")))?;
    session
        .insert(crate::server::auth::SESSION_USER_KEY, user_id)
        .await
        .map_err(|e| ServiceError::Internal(format!("session: {e}")))?;
    Ok(())
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

/// The client's address, as the guard in front of the routes decided it (the unspecified
/// address when the request did not pass that guard).
pub async fn client_addr() -> std::net::IpAddr {
    use crate::server::guard::ClientAddr;
    leptos_axum::extract::<axum::Extension<ClientAddr>>()
        .await
        .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |e| e.0 .0)
}

/// State and signed-in user, or a 401 error.
pub async fn signed_in() -> Result<(AppState, CurrentUser), AppError> {
    let state = app_state()?;
    let session = session().await?;
    let user = current_user(&state.db, &session).await?;
    Ok((state, user))
}

/// State and signed-in user who may configure the account (owners and admins), or a 401 / 403.
pub async fn configurer() -> Result<(AppState, CurrentUser), AppError> {
    let (state, user) = signed_in().await?;
    crate::server::auth::require_configure(&user)?;
    Ok((state, user))
}

/// An optional whole number (or record id) typed or picked in a form field ("" is none).
pub fn form_id<T: std::str::FromStr>(field: &str, value: &str) -> Result<Option<T>, ServiceError> {
    match value.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| {
            ServiceError::invalid(
                field,
                crate::domain::Problem::NotANumber {
                    value: v.to_string(),
                },
            )
        }),
    }
}

/// Adds a `Set-Cookie` header to this response (a browser's choice: language, theme, time
/// zone; see `crate::i18n::choice_cookie`).
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(value),
    ) {
        res.append_header(axum::http::header::SET_COOKIE, value);
    }
}

//! Login and logout.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::error::AppError;
use super::feedback::RpcForm;
use super::language::LanguagePicker;
use crate::domain::CurrentUser;
use crate::i18n::tr;

/// Signs in with e-mail and password, then redirects to `next` (a local path) or the board.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::server_ctx::{app_state, client_addr};
    use crate::server::services::accounts;
    use crate::server::services::accounts::two_factor::{self, SecondStep};
    use crate::server::ServiceError;

    let state = app_state()?;
    let next = next
        .as_deref()
        .and_then(crate::server::paths::same_origin_path);
    let client = client_addr().await;
    let user_id = match accounts::authenticate(&state.db, &email, &password, client).await {
        Ok(id) => id,
        Err(ServiceError::Unauthorized) if super::server_ctx::plain_form_post().await => {
            // Without JavaScript the browser follows a redirect, so the page can say what failed.
            let mut target = "/login?failed=1".to_string();
            if let Some(n) = &next {
                target.push_str("&next=");
                target.push_str(&crate::domain::url_encode(n));
            }
            leptos_axum::redirect(&target);
            return Ok(());
        }
        Err(ServiceError::Unauthorized) => {
            return Err(AppError::from(ServiceError::Validation {
                field: "email".into(),
                message: tr("login-failed").into(),
            }))
        }
        Err(ServiceError::TooManyAttempts(_)) if super::server_ctx::plain_form_post().await => {
            leptos_axum::redirect("/login?locked=1");
            return Ok(());
        }
        Err(e) => return Err(AppError::from(e)),
    };
    match two_factor::after_password(&state.db, user_id).await? {
        SecondStep::None => complete_sign_in(user_id, next.as_deref()).await,
        step => {
            super::two_factor::await_code(user_id, step == SecondStep::Enrol).await?;
            let mut target = "/login/code".to_string();
            if let Some(n) = &next {
                target.push_str("?next=");
                target.push_str(&crate::domain::url_encode(n));
            }
            leptos_axum::redirect(&target);
            Ok(())
        }
    }
}

/// Completes a sign-in once every step it needed is done: the browser's session becomes the
/// user's, the sign-in is recorded, the browser takes the user's language, time zone and
/// theme, and goes to `next` (a local path) or the board.
#[cfg(feature = "ssr")]
pub async fn complete_sign_in(
    user_id: crate::domain::UserId,
    next: Option<&str>,
) -> Result<(), AppError> {
    let state = super::server_ctx::app_state()?;
    super::server_ctx::sign_in_as(user_id).await?;
    crate::server::services::accounts::sign_in::signed_in(&state.db, user_id).await?;
    if let Ok(Some(locale)) =
        crate::server::services::accounts::locale::locale_of(&state.db, user_id).await
    {
        super::language::remember(locale);
    }
    if let Ok(Some(user)) = crate::server::auth::session_user::load_user(&state.db, user_id).await {
        super::clock::remember(user.time_zone.as_deref());
    }
    // The theme too is the user's, not the last one's who signed in on this browser.
    if let Ok(theme) = crate::server::services::accounts::theme::theme_of(&state.db, user_id).await
    {
        super::theme::remember(theme);
    }
    leptos_axum::redirect(next.unwrap_or("/"));
    Ok(())
}

/// Ends the session.
#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::ServiceError;
    let session = super::server_ctx::session().await?;
    session
        .flush()
        .await
        .map_err(|e| ServiceError::Internal(format!("session: {e}")))?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in user, if any.
#[server(prefix = "/rpc", endpoint = "me")]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    use crate::server::auth::current_user;
    let state = super::server_ctx::app_state()?;
    let session = super::server_ctx::session().await?;
    Ok(current_user(&state.db, &session).await.ok())
}

/// The login page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    let error = if query.read_untracked().get("locked").is_some() {
        Some(tr("login-locked"))
    } else if query.read_untracked().get("failed").is_some() {
        Some(tr("login-failed"))
    } else {
        None
    };
    let no_error = error.is_none();
    let reset = query.read_untracked().get("reset").is_some();
    view! {
        <div class="min-h-screen flex items-center justify-center bg-slate-100 px-4">
            <div class="w-full max-w-sm bg-white rounded-xl shadow p-8">
                <h1 class="text-2xl font-semibold text-slate-800 mb-1">"Dealflow"</h1>
                <p class="text-sm text-slate-600 mb-6">{tr("login-title")}</p>
                {reset.then(|| view! { <p role="status" class="mb-4 text-sm text-green-700" data-testid="password-reset-done">{tr("access-reset-done")}</p> })}
                <RpcForm action=Login::PATH>
                    <input type="hidden" name="next" value=next />
                    <label class="block text-sm font-medium text-slate-700" for="email">{tr("login-email")}</label>
                    <input id="email" name="email" type="email" required autocomplete="username"
                        class="mt-1 mb-4 w-full rounded-md border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500" />
                    <label class="block text-sm font-medium text-slate-700" for="password">{tr("login-password")}</label>
                    <input id="password" name="password" type="password" required autocomplete="current-password"
                        class="mt-1 mb-4 w-full rounded-md border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500" />
                    <p role="alert" data-form-error="" hidden=no_error class="mb-4 text-sm text-red-600">{error}</p>
                    <button type="submit" data-busy-label=tr("login-busy")
                        class="w-full rounded-md bg-indigo-600 px-4 py-2 text-white font-medium hover:bg-indigo-700 disabled:opacity-60">
                        {tr("login-submit")}
                    </button>
                </RpcForm>
                <p class="mt-4 text-sm"><a href="/forgot-password" class="text-indigo-700 hover:underline">{tr("access-forgot-link")}</a></p>
                <LanguagePicker class="mt-6 justify-end text-slate-600" />
            </div>
        </div>
    }
}

//! Two-factor sign-in in the browser: the second step of a sign-in (`/login/code`: a code of
//! the authenticator app or a recovery code, or the enrolment an account that requires it asks
//! for), and the user's own page (`/preferences/two-factor`: set up, new recovery codes, turn
//! off). A sign-in waiting for its code is kept in the session apart from the signed-in user,
//! so until the code is right the browser is not signed in; it waits [`PENDING_MINUTES`].
//! Recovery codes just made are kept in the session until the page that shows them is read.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::error::AppError;
use super::feedback::{ErrorBanner, RpcForm};
use super::language::LanguagePicker;
use crate::domain::{TwoFactorSetup, TwoFactorStatus};
use crate::i18n::{tr, tr_args};

/// Minutes a sign-in waits for its code.
pub const PENDING_MINUTES: i64 = 10;

#[cfg(feature = "ssr")]
mod pending {
    use serde::{Deserialize, Serialize};

    use crate::app::error::AppError;
    use crate::domain::UserId;
    use crate::server::ServiceError;

    /// Session key of a sign-in waiting for its code.
    pub const KEY: &str = "pending_sign_in";
    /// Session key of recovery codes not shown yet.
    pub const CODES_KEY: &str = "new_recovery_codes";

    /// A sign-in whose password was right, waiting for its code.
    #[derive(Debug, Clone, Copy, Serialize, Deserialize)]
    pub struct Pending {
        pub user_id: UserId,
        /// Unix seconds of the password.
        pub since: i64,
        /// The user must set two-factor sign-in up first.
        pub enrol: bool,
    }

    /// The sign-in waiting in this session, if it has not waited too long.
    pub async fn read() -> Result<Pending, AppError> {
        let session = crate::app::server_ctx::session().await?;
        let pending: Option<Pending> = session.get(KEY).await.ok().flatten();
        pending
            .filter(|p| chrono::Utc::now().timestamp() - p.since <= super::PENDING_MINUTES * 60)
            .ok_or_else(|| {
                ServiceError::invalid("code", crate::domain::Problem::SignInExpired).into()
            })
    }

    fn internal(e: impl std::fmt::Display) -> AppError {
        ServiceError::Internal(format!("session: {e}")).into()
    }

    /// Forgets the sign-in waiting in this session.
    pub async fn forget() -> Result<(), AppError> {
        let session = crate::app::server_ctx::session().await?;
        session.remove::<Pending>(KEY).await.map_err(internal)?;
        Ok(())
    }

    /// Keeps recovery codes for the page that shows them.
    pub async fn keep_codes(codes: Vec<String>) -> Result<(), AppError> {
        let session = crate::app::server_ctx::session().await?;
        session.insert(CODES_KEY, codes).await.map_err(internal)?;
        Ok(())
    }

    /// The recovery codes kept for this page, once.
    pub async fn take_codes() -> Result<Vec<String>, AppError> {
        let session = crate::app::server_ctx::session().await?;
        Ok(session
            .remove::<Vec<String>>(CODES_KEY)
            .await
            .map_err(internal)?
            .unwrap_or_default())
    }

    pub fn internal_error(e: impl std::fmt::Display) -> AppError {
        internal(e)
    }
}

/// Keeps `user_id`'s sign-in waiting for its code (or, with `enrol`, for their enrolment),
/// under a new session id; the browser is not signed in until [`finish_sign_in`].
#[cfg(feature = "ssr")]
pub async fn await_code(user_id: crate::domain::UserId, enrol: bool) -> Result<(), AppError> {
    let session = super::server_ctx::session().await?;
    session.cycle_id().await.map_err(pending::internal_error)?;
    session
        .insert(
            pending::KEY,
            pending::Pending {
                user_id,
                since: chrono::Utc::now().timestamp(),
                enrol,
            },
        )
        .await
        .map_err(pending::internal_error)?;
    Ok(())
}

/// What the second step asks for: the enrolment to show when the account requires one, else
/// `None` (a code).
#[server(prefix = "/rpc", endpoint = "second_step")]
pub async fn second_step() -> Result<Option<TwoFactorSetup>, AppError> {
    use crate::server::services::accounts::two_factor;
    let state = super::server_ctx::app_state()?;
    let p = pending::read().await?;
    if p.enrol {
        Ok(Some(two_factor::begin(&state.db, p.user_id).await?))
    } else {
        Ok(None)
    }
}

/// The second step of a sign-in: a code of the app or a recovery code (or, for an enrolment,
/// a first code of the app). Signs the browser in and goes to `next` (the recovery codes'
/// page after an enrolment).
#[server(prefix = "/rpc", endpoint = "finish_sign_in")]
pub async fn finish_sign_in(code: String, next: Option<String>) -> Result<(), AppError> {
    use crate::server::services::accounts::two_factor;
    let state = super::server_ctx::app_state()?;
    let p = pending::read().await?;
    let next = next
        .as_deref()
        .and_then(crate::server::paths::same_origin_path);
    if p.enrol {
        let codes = two_factor::confirm(&state.db, p.user_id, &code).await?;
        pending::forget().await?;
        super::auth::complete_sign_in(p.user_id, Some("/preferences/two-factor")).await?;
        pending::keep_codes(codes).await?;
    } else {
        two_factor::check_code(&state.db, p.user_id, &code).await?;
        pending::forget().await?;
        super::auth::complete_sign_in(p.user_id, next.as_deref()).await?;
    }
    Ok(())
}

/// The signed-in user's two-factor sign-in, with the recovery codes just made (once).
#[server(prefix = "/rpc", endpoint = "two_factor_status")]
pub async fn load_two_factor() -> Result<TwoFactorStatus, AppError> {
    use crate::server::services::accounts::two_factor;
    let (state, me) = super::server_ctx::signed_in().await?;
    let mut status = two_factor::status(&state.db, &me).await?;
    status.new_codes = pending::take_codes().await?;
    Ok(status)
}

/// Turns two-factor sign-in on with a first code of the app; the recovery codes show next.
#[server(prefix = "/rpc", endpoint = "confirm_two_factor")]
pub async fn confirm_two_factor(code: String) -> Result<(), AppError> {
    use crate::server::services::accounts::two_factor;
    let (state, me) = super::server_ctx::signed_in().await?;
    let codes = two_factor::confirm(&state.db, me.id, &code).await?;
    pending::keep_codes(codes).await?;
    leptos_axum::redirect("/preferences/two-factor");
    Ok(())
}

/// New recovery codes (the old ones stop working); they show next.
#[server(prefix = "/rpc", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes() -> Result<(), AppError> {
    use crate::server::services::accounts::two_factor;
    let (state, me) = super::server_ctx::signed_in().await?;
    let codes = two_factor::renew_codes(&state.db, &me).await?;
    pending::keep_codes(codes).await?;
    leptos_axum::redirect("/preferences/two-factor");
    Ok(())
}

/// Turns two-factor sign-in off (the password required).
#[server(prefix = "/rpc", endpoint = "turn_off_two_factor")]
pub async fn turn_off_two_factor(current_password: String) -> Result<(), AppError> {
    use crate::server::services::accounts::two_factor;
    let (state, me) = super::server_ctx::signed_in().await?;
    two_factor::turn_off(&state.db, &me, &current_password).await?;
    leptos_axum::redirect("/preferences/two-factor");
    Ok(())
}

const INPUT: &str = "mt-1 mb-4 w-full rounded-md border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500";
const BUTTON: &str = "w-full rounded-md bg-indigo-600 px-4 py-2 text-white font-medium hover:bg-indigo-700 disabled:opacity-60";

/// The QR code and the key to type, for an authenticator app.
#[component]
fn SetupCode(setup: TwoFactorSetup) -> impl IntoView {
    view! {
        <p class="mb-2 text-sm text-slate-700">{tr("tfa-scan")}</p>
        // The SVG is drawn on the server from the secret alone (no text from users).
        <div class="mb-2 w-52" role="img" aria-label=tr("tfa-qr-label") data-testid="tfa-qr" inner_html=setup.qr_svg></div>
        <p class="text-sm text-slate-700">{tr("tfa-key")}</p>
        <p class="mb-4 font-mono text-sm tracking-wider text-slate-900" data-testid="tfa-key">{setup.key}</p>
    }
}

/// `/login/code`: the second step of a sign-in.
#[component]
pub fn SecondStepPage() -> impl IntoView {
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    let step = Resource::new(|| (), |_| second_step());
    view! {
        <div class="min-h-screen flex items-center justify-center bg-slate-100 px-4">
            <div class="w-full max-w-sm bg-white rounded-xl shadow p-8" data-testid="second-step">
                <h1 class="text-2xl font-semibold text-slate-800 mb-1">"Dealflow"</h1>
                <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                    {
                        let next = next.clone();
                        move || {
                            let next = next.clone();
                            Suspend::new(async move {
                                match step.await {
                                    Err(_) => view! {
                                        <p role="alert" class="mb-4 text-sm text-red-600" data-testid="sign-in-expired">{tr("err-sign-in-expired")}</p>
                                        <a href="/login" class="text-sm text-indigo-700 hover:underline">{tr("access-to-login")}</a>
                                    }.into_any(),
                                    Ok(setup) => {
                                        let enrol = setup.is_some();
                                        view! {
                                            <p class="text-sm text-slate-600 mb-4">{if enrol { tr("tfa-enrol-required") } else { tr("tfa-code-title") }}</p>
                                            {setup.map(|s| view! { <SetupCode setup=s /> })}
                                            <RpcForm action=FinishSignIn::PATH>
                                                <input type="hidden" name="next" value=next />
                                                <label class="block text-sm font-medium text-slate-700" for="code">
                                                    {if enrol { tr("tfa-first-code") } else { tr("tfa-code") }}
                                                </label>
                                                <input id="code" name="code" required maxlength="64" autocomplete="one-time-code"
                                                    autofocus inputmode=if enrol { "numeric" } else { "text" } class=INPUT />
                                                {(!enrol).then(|| view! { <p class="-mt-3 mb-4 text-xs text-slate-600">{tr("tfa-code-help")}</p> })}
                                                <p role="alert" data-form-error="" hidden class="mb-4 text-sm text-red-600"></p>
                                                <button type="submit" class=BUTTON data-busy-label=tr("login-busy")>{tr("tfa-verify")}</button>
                                            </RpcForm>
                                        }.into_any()
                                    }
                                }
                            })
                        }
                    }
                </Suspense>
                <LanguagePicker class="mt-6 justify-end text-slate-600" />
            </div>
        </div>
    }
}

/// `/preferences/two-factor`: the user's own two-factor sign-in.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| load_two_factor());
    view! {
        <div class="mx-auto max-w-2xl space-y-4" data-testid="two-factor">
            <h1 class="text-xl font-semibold">{tr("tfa-title")}</h1>
            <p class="text-sm text-slate-600">{tr("tfa-intro")}</p>
            <ErrorBanner testid="two-factor-error" />
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok(s) => view! { <TwoFactorState status=s /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn TwoFactorState(status: TwoFactorStatus) -> impl IntoView {
    let input =
        "mt-1 block w-full max-w-xs rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let button = "mt-3 rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white";
    let codes = (!status.new_codes.is_empty()).then(|| {
        let list = status.new_codes.clone();
        view! {
            <section class="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="recovery-codes">
                <h2 class="font-semibold">{tr("tfa-codes-title")}</h2>
                <p class="mb-2 text-sm text-slate-700">{tr("tfa-codes-intro")}</p>
                <ul class="grid grid-cols-2 gap-1 font-mono text-sm">
                    {list.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                </ul>
            </section>
        }
    });
    let body = if status.enabled {
        let off = (!status.required).then(|| view! {
            <RpcForm action=TurnOffTwoFactor::PATH confirm=tr("tfa-off-confirm")>
                <label class="mt-4 block text-sm text-slate-700">{tr("access-current-password")}
                    <input name="current_password" type="password" required autocomplete="current-password" class=input />
                </label>
                <p role="alert" data-form-error="" hidden class="mt-2 text-sm text-red-600"></p>
                <button type="submit" class="mt-3 rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700">{tr("tfa-turn-off")}</button>
            </RpcForm>
        });
        view! {
            <section class="rounded-lg bg-white p-4 shadow-sm">
                <p class="text-sm font-medium text-green-700" data-testid="tfa-on">{tr("tfa-on")}</p>
                {status.required.then(|| view! { <p class="text-sm text-slate-600">{tr("tfa-required-here")}</p> })}
                <p class="mt-2 text-sm text-slate-700" data-testid="recovery-left">
                    {tr_args("tfa-codes-left", &[("count", status.recovery_left.into())])}
                </p>
                <RpcForm action=RenewRecoveryCodes::PATH confirm=tr("tfa-renew-confirm")>
                    <button type="submit" class=button>{tr("tfa-renew")}</button>
                </RpcForm>
                {off}
            </section>
        }
        .into_any()
    } else {
        view! {
            <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="tfa-setup">
                <p class="mb-3 text-sm font-medium text-slate-700" data-testid="tfa-off">{tr("tfa-off")}</p>
                {status.setup.map(|s| view! { <SetupCode setup=s /> })}
                <RpcForm action=ConfirmTwoFactor::PATH>
                    <label class="block text-sm text-slate-700">{tr("tfa-first-code")}
                        <input name="code" required maxlength="64" inputmode="numeric" autocomplete="one-time-code" class=input />
                    </label>
                    <p role="alert" data-form-error="" hidden class="mt-2 text-sm text-red-600"></p>
                    <button type="submit" class=button>{tr("tfa-turn-on")}</button>
                </RpcForm>
            </section>
        }
        .into_any()
    };
    view! { {codes} {body} }
}

//! Getting in without an admin typing a password: accepting an invitation
//! (`/invitations/:token`), asking for a reset link (`/forgot-password`) and setting a new
//! password with it (`/reset-password/:token`), and changing one's own password (a form on
//! `/preferences`). The pages outside the sign-in work without a session; their server
//! functions share the sign-in's budget per address.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::error::AppError;
use super::feedback::RpcForm;
use super::language::LanguagePicker;
use crate::domain::InvitationOffer;
use crate::i18n::{tr, tr_args};

/// What an invitation link offers, while it works.
#[server(prefix = "/rpc", endpoint = "open_invitation")]
pub async fn open_invitation(token: String) -> Result<InvitationOffer, AppError> {
    use crate::server::services::accounts::invitations;
    let state = super::server_ctx::app_state()?;
    Ok(invitations::offer(&state.db, &token).await?)
}

/// Accepts an invitation: makes the user, signs them in and opens the board.
#[server(prefix = "/rpc", endpoint = "accept_invitation")]
pub async fn accept_invitation(
    token: String,
    #[server(default)] name: String,
    password: String,
) -> Result<(), AppError> {
    use crate::server::services::accounts::invitations;
    let state = super::server_ctx::app_state()?;
    use crate::server::services::accounts::two_factor::{self, SecondStep};
    let user_id = invitations::accept(&state.db, &token, &name, &password).await?;
    if two_factor::after_password(&state.db, user_id).await? == SecondStep::Enrol {
        // The account requires two-factor sign-in: the new user sets it up before they are in.
        super::two_factor::await_code(user_id, true).await?;
        leptos_axum::redirect("/login/code");
        return Ok(());
    }
    super::server_ctx::sign_in_as(user_id).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Asks for a reset link; the answer is the same whatever the address.
#[server(prefix = "/rpc", endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::server::services::accounts::passwords;
    let state = super::server_ctx::app_state()?;
    let base = super::quotes::public_base_url().await;
    passwords::request_reset(&state.db, &email, &base, crate::i18n::current()).await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Whether a reset link still works.
#[server(prefix = "/rpc", endpoint = "reset_link_works")]
pub async fn reset_link_works(token: String) -> Result<bool, AppError> {
    use crate::server::services::accounts::passwords;
    let state = super::server_ctx::app_state()?;
    Ok(passwords::reset_link_works(&state.db, &token).await?)
}

/// Sets a new password through a reset link; every session of the user ends.
#[server(prefix = "/rpc", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::server::services::accounts::passwords;
    let state = super::server_ctx::app_state()?;
    passwords::reset(&state.db, &token, &password).await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

/// Changes the signed-in user's password; their other sessions end.
#[server(prefix = "/rpc", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::server::services::accounts::passwords;
    let (state, me) = super::server_ctx::signed_in().await?;
    let session = super::server_ctx::session().await?;
    let id = session.id().map(|id| id.to_string());
    passwords::change(
        &state.db,
        &me,
        &current_password,
        &new_password,
        id.as_deref(),
    )
    .await?;
    leptos_axum::redirect("/preferences?password=changed");
    Ok(())
}

const INPUT: &str = "mt-1 mb-4 w-full rounded-md border border-slate-300 px-3 py-2 focus:outline-none focus:ring-2 focus:ring-indigo-500";
const LABEL: &str = "block text-sm font-medium text-slate-700";
const BUTTON: &str = "w-full rounded-md bg-indigo-600 px-4 py-2 text-white font-medium hover:bg-indigo-700 disabled:opacity-60";

/// The card the pages outside the sign-in share.
#[component]
fn Card(title: String, children: Children) -> impl IntoView {
    view! {
        <div class="min-h-screen flex items-center justify-center bg-slate-100 px-4">
            <div class="w-full max-w-sm bg-white rounded-xl shadow p-8">
                <h1 class="text-2xl font-semibold text-slate-800 mb-1">"Dealflow"</h1>
                <p class="text-sm text-slate-600 mb-6">{title}</p>
                {children()}
                <LanguagePicker class="mt-6 justify-end text-slate-600" />
            </div>
        </div>
    }
}

/// A link that no longer works, and where to go instead.
#[component]
fn DeadLink(message: String) -> impl IntoView {
    view! {
        <p role="alert" class="mb-4 text-sm text-red-600" data-testid="dead-link">{message}</p>
        <a href="/login" class="text-sm text-indigo-700 hover:underline">{tr("access-to-login")}</a>
    }
}

/// `/invitations/:token`: who invites, and the form that accepts.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let token = use_params_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let offer = Resource::new(move || (), {
        let token = token.clone();
        move |_| open_invitation(token.clone())
    });
    view! {
        <Card title=tr("access-invitation-title")>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {
                    let token = token.clone();
                    move || {
                        let token = token.clone();
                        Suspend::new(async move {
                            match offer.await {
                                Err(_) => view! { <DeadLink message=tr("access-invitation-dead") /> }.into_any(),
                                Ok(o) => view! {
                                    <p class="mb-4 text-sm text-slate-700" data-testid="invitation-offer">
                                        {tr_args("access-invitation-offer", &[
                                            ("account", o.account_name.clone().into()),
                                            ("email", o.email.clone().into()),
                                            ("role", tr(&format!("set-role-{}", o.role.as_str())).into()),
                                        ])}
                                    </p>
                                    <RpcForm action=AcceptInvitation::PATH>
                                        <input type="hidden" name="token" value=token />
                                        <label class=LABEL for="name">{tr("access-your-name")}</label>
                                        <input id="name" name="name" required maxlength="100" autocomplete="name" class=INPUT />
                                        <label class=LABEL for="password">{tr("access-choose-password")}</label>
                                        <input id="password" name="password" type="password" required minlength="8" autocomplete="new-password" class=INPUT />
                                        <p role="alert" data-form-error="" hidden class="mb-4 text-sm text-red-600"></p>
                                        <button type="submit" class=BUTTON>{tr("access-join")}</button>
                                    </RpcForm>
                                }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
        </Card>
    }
}

/// `/forgot-password`: an e-mail address in, the same answer out.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let sent = use_query_map().read_untracked().get("sent").is_some();
    view! {
        <Card title=tr("access-forgot-title")>
            {if sent {
                view! {
                    <p role="status" class="mb-4 text-sm text-slate-700" data-testid="reset-sent">{tr("access-forgot-sent")}</p>
                    <a href="/login" class="text-sm text-indigo-700 hover:underline">{tr("access-to-login")}</a>
                }.into_any()
            } else {
                view! {
                    <p class="mb-4 text-sm text-slate-600">{tr("access-forgot-intro")}</p>
                    <RpcForm action=ForgotPassword::PATH>
                        <label class=LABEL for="email">{tr("login-email")}</label>
                        <input id="email" name="email" type="email" required maxlength="254" autocomplete="username" class=INPUT />
                        <p role="alert" data-form-error="" hidden class="mb-4 text-sm text-red-600"></p>
                        <button type="submit" class=BUTTON>{tr("access-forgot-send")}</button>
                    </RpcForm>
                }.into_any()
            }}
        </Card>
    }
}

/// `/reset-password/:token`: a new password, while the link works.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = use_params_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let works = Resource::new(move || (), {
        let token = token.clone();
        move |_| reset_link_works(token.clone())
    });
    view! {
        <Card title=tr("access-reset-title")>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {
                    let token = token.clone();
                    move || {
                        let token = token.clone();
                        Suspend::new(async move {
                            match works.await {
                                Ok(true) => view! {
                                    <RpcForm action=ResetPassword::PATH>
                                        <input type="hidden" name="token" value=token />
                                        <label class=LABEL for="password">{tr("access-new-password")}</label>
                                        <input id="password" name="password" type="password" required minlength="8" autocomplete="new-password" class=INPUT />
                                        <p role="alert" data-form-error="" hidden class="mb-4 text-sm text-red-600"></p>
                                        <button type="submit" class=BUTTON>{tr("access-reset-save")}</button>
                                    </RpcForm>
                                }.into_any(),
                                _ => view! { <DeadLink message=tr("access-reset-dead") /> }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
        </Card>
    }
}

/// The form on `/preferences` that changes one's own password.
#[component]
pub fn ChangePasswordForm() -> impl IntoView {
    let changed = use_query_map().read_untracked().get("password").is_some();
    let input =
        "mt-1 block w-full max-w-xs rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="change-password">
            <h2 class="font-semibold">{tr("access-change-title")}</h2>
            <p class="mb-2 text-sm text-slate-600">{tr("access-change-intro")}</p>
            {changed.then(|| view! { <p role="status" class="mb-2 text-sm text-green-700" data-testid="password-changed">{tr("access-changed")}</p> })}
            <RpcForm action=ChangePassword::PATH>
                <label class="block text-sm text-slate-700">{tr("access-current-password")}
                    <input name="current_password" type="password" required autocomplete="current-password" class=input />
                </label>
                <label class="mt-2 block text-sm text-slate-700">{tr("access-new-password")}
                    <input name="new_password" type="password" required minlength="8" autocomplete="new-password" class=input />
                </label>
                <p role="alert" data-form-error="" hidden class="mt-2 text-sm text-red-600"></p>
                <button type="submit" class="mt-3 rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white">{tr("access-change-save")}</button>
            </RpcForm>
        </section>
    }
}

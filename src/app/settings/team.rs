//! Settings → users: add people, change their role, deactivate and reactivate them.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::app::feedback::{ErrorBanner, RpcForm};
use crate::domain::{InvitationId, PendingInvitation, TeamMember, UserId};
use crate::i18n::{tr, tr_args};

/// Everyone in the account, and who is looking (id, role).
#[server(prefix = "/rpc", endpoint = "team")]
pub async fn team() -> Result<(Vec<TeamMember>, UserId, String), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    let members =
        crate::server::services::accounts::team::members(&state.db, me.account_id).await?;
    Ok((members, me.id, me.role.as_str().to_string()))
}

/// Adds a user with a first password.
#[server(prefix = "/rpc", endpoint = "add_user")]
pub async fn add_user(
    email: String,
    #[server(default)] name: String,
    password: String,
    role: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::accounts::team::{invite, parse_role};
    let (state, me) = signed_in().await?;
    let role = parse_role(&role)?;
    invite(&state.db, &me, &email, &name, &password, role)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// The invitations waiting for an answer.
#[server(prefix = "/rpc", endpoint = "invitations")]
pub async fn invitations() -> Result<Vec<PendingInvitation>, AppError> {
    use crate::app::server_ctx::configurer;
    let (state, me) = configurer().await?;
    Ok(crate::server::services::accounts::invitations::pending(&state.db, &me).await?)
}

/// Invites an e-mail address with a role; the link goes by e-mail.
#[server(prefix = "/rpc", endpoint = "invite_user")]
pub async fn invite_user(email: String, role: String) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::accounts::{invitations, team::parse_role};
    let (state, me) = signed_in().await?;
    let role = parse_role(&role)?;
    let base = crate::app::quotes::public_base_url().await;
    invitations::invite(&state.db, &me, &email, role, &base, crate::i18n::current()).await?;
    Ok(())
}

/// `op=resend` (a new link, a new week) or `op=revoke` on an invitation.
#[server(prefix = "/rpc", endpoint = "change_invitation")]
pub async fn change_invitation(id: InvitationId, op: String) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::accounts::invitations;
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    match op.as_str() {
        "resend" => {
            let base = crate::app::quotes::public_base_url().await;
            invitations::resend(&state.db, &me, id, &base, crate::i18n::current())
                .await
                .map(|_| ())
        }
        "revoke" => invitations::revoke(&state.db, &me, id).await,
        _ => Err(ServiceError::invalid(
            "op",
            crate::domain::Problem::one_of(&["resend", "revoke"]),
        )),
    }
    .map_err(AppError::from)
}

/// `op=role` (with `role`), `op=deactivate`, `op=activate` or `op=clear_two_factor` on a
/// user.
#[server(prefix = "/rpc", endpoint = "change_user")]
pub async fn change_user(
    id: UserId,
    op: String,
    #[server(default)] role: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::accounts::team::{change_role, parse_role, set_active};
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    match op.as_str() {
        "role" => {
            let role = parse_role(&role)?;
            change_role(&state.db, &me, id, role).await
        }
        "deactivate" => set_active(&state.db, &me, id, false).await,
        "clear_two_factor" => {
            crate::server::services::accounts::two_factor::clear_for(&state.db, &me, id).await
        }
        "activate" => set_active(&state.db, &me, id, true).await,
        other => Err(ServiceError::invalid(
            "op",
            tr_args("set-error-user-op", &[("op", other.to_string().into())]),
        )),
    }
    .map_err(AppError::from)
}

/// Whether the account requires two-factor sign-in.
#[server(prefix = "/rpc", endpoint = "two_factor_rule")]
pub async fn two_factor_rule() -> Result<bool, AppError> {
    use crate::app::server_ctx::configurer;
    let (state, me) = configurer().await?;
    Ok(crate::server::services::accounts::two_factor::required(&state.db, &me).await?)
}

/// Requires two-factor sign-in of everyone (`required=on`) or leaves it to each user (the
/// account's owner only).
#[server(prefix = "/rpc", endpoint = "require_two_factor")]
pub async fn require_two_factor(#[server(default)] required: String) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    let on = match required.as_str() {
        "on" => true,
        "off" | "" => false,
        _ => {
            return Err(crate::server::ServiceError::invalid(
                "required",
                crate::domain::Problem::one_of(&["on", "off"]),
            )
            .into())
        }
    };
    crate::server::services::accounts::two_factor::set_required(&state.db, &me, on).await?;
    Ok(())
}

/// The roles, least powerful first.
const ROLES: &[&str] = &["sales", "admin", "owner"];

/// A role as people read it (the stored role stays the option's value).
fn role_label(role: &str) -> String {
    match role {
        "sales" => tr("set-role-sales"),
        "admin" => tr("set-role-admin"),
        "owner" => tr("set-role-owner"),
        other => other.to_string(),
    }
}

/// The users section of `/settings`.
#[component]
pub fn TeamSettings(can: bool) -> impl IntoView {
    let data = Resource::new(|| (), |_| team());
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <section id=super::section::TEAM class=super::SECTION data-testid="team-settings">
            <h2 class="font-semibold mb-2">{tr("set-users")}</h2>
            <ErrorBanner testid="team-error" />
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">{tr("set-users-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok((members, me, my_role)) => {
                            let owner = my_role == "owner";
                            view! {
                                <ul class="divide-y divide-slate-100 text-sm">
                                    {members.into_iter().map(|m| {
                                        // Admins never manage owners; nobody deactivates themselves.
                                        let manageable = can && (owner || m.role != "owner");
                                        let is_me = m.id == me;
                                        view! {
                                            <li class="flex flex-wrap items-center gap-2 py-2" data-testid="user-row" class:opacity-60=!m.active>
                                                <span class="min-w-40 font-medium">{m.name.clone()}</span>
                                                <span class="text-slate-500">{m.email.clone()}</span>
                                                {(!m.active).then(|| view! { <span class="rounded bg-slate-100 px-1.5 text-xs">{tr("set-user-deactivated")}</span> })}
                                                {m.two_factor.then(|| view! { <span class="rounded bg-green-50 px-1.5 text-xs text-green-800" data-testid="user-two-factor">{tr("set-user-two-factor")}</span> })}
                                                {(!m.active && m.live_keys > 0).then(|| view! {
                                                    <a href=format!("#{}", super::section::API_KEYS) class="text-xs text-amber-700 hover:underline" data-testid="user-live-keys">
                                                        {tr_args("set-user-live-keys", &[("count", m.live_keys.into())])}
                                                    </a>
                                                })}
                                                <RpcForm action=ChangeUser::PATH attr:class="ml-auto flex gap-1">
                                                    <input type="hidden" name="id" value=m.id.to_string() />
                                                    <input type="hidden" name="op" value="role" />
                                                    <select name="role" aria-label=tr_args("set-role-of", &[("name", m.name.clone().into())]) class=input disabled=!manageable>
                                                        {ROLES.iter().filter(|r| owner || **r != "owner" || m.role == "owner").map(|r| view! {
                                                            <option value=*r selected=m.role == *r>{role_label(r)}</option>
                                                        }).collect_view()}
                                                    </select>
                                                    <button type="submit" disabled=!manageable class="rounded-md border border-slate-300 px-2 py-1 disabled:opacity-40">{tr("set-change")}</button>
                                                </RpcForm>
                                                {(m.two_factor && manageable && !is_me).then(|| view! {
                                                    <RpcForm action=ChangeUser::PATH attr:data-confirm=tr("set-user-clear-two-factor-confirm")>
                                                        <input type="hidden" name="id" value=m.id.to_string() />
                                                        <input type="hidden" name="op" value="clear_two_factor" />
                                                        <button type="submit" class="text-amber-800 hover:underline">{tr("set-user-clear-two-factor")}</button>
                                                    </RpcForm>
                                                })}
                                                <RpcForm action=ChangeUser::PATH attr:data-confirm=tr("set-user-access-confirm")>
                                                    <input type="hidden" name="id" value=m.id.to_string() />
                                                    <input type="hidden" name="op" value=if m.active { "deactivate" } else { "activate" } />
                                                    <button type="submit" disabled=!manageable || is_me
                                                        class="text-red-700 hover:underline disabled:opacity-40">
                                                        {if m.active { tr("set-user-deactivate") } else { tr("set-user-reactivate") }}
                                                    </button>
                                                </RpcForm>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <RpcForm action=AddUser::PATH attr:class="mt-3 flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3" attr:data-testid="add-user">
                                    <label class="text-xs text-slate-600">{tr("set-email")}
                                        <input name="email" type="email" required class=format!("block {input}") disabled=!can />
                                    </label>
                                    <label class="text-xs text-slate-600">{tr("set-name")}
                                        <input name="name" maxlength="100" class=format!("block {input}") disabled=!can />
                                    </label>
                                    <label class="text-xs text-slate-600">{tr("set-first-password")}
                                        <input name="password" type="password" required minlength="8" autocomplete="new-password" class=format!("block {input}") disabled=!can />
                                    </label>
                                    <label class="text-xs text-slate-600">{tr("set-role")}
                                        <select name="role" class=format!("block {input}") disabled=!can>
                                            {ROLES.iter().filter(|r| owner || **r != "owner").map(|r| view! { <option value=*r>{role_label(r)}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <button type="submit" disabled=!can class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white disabled:opacity-40">{tr("set-add-user")}</button>
                                </RpcForm>
                                {can.then(|| view! { <Invitations owner=owner /> })}
                                {(can && owner).then(|| view! { <TwoFactorRuleForm /> })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Inviting by e-mail, and the invitations waiting for an answer.
#[component]
fn Invitations(owner: bool) -> impl IntoView {
    let data = Resource::new(|| (), |_| invitations());
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <div class="mt-4 border-t border-slate-100 pt-3" data-testid="invitations">
            <h3 class="text-sm font-semibold">{tr("set-invite-title")}</h3>
            <p class="text-xs text-slate-600">{tr("set-invite-intro")}</p>
            <RpcForm action=InviteUser::PATH attr:class="mt-2 flex flex-wrap items-end gap-2" attr:data-testid="invite-user">
                <label class="text-xs text-slate-600">{tr("set-email")}
                    <input name="email" type="email" required maxlength="254" class=format!("block {input}") />
                </label>
                <label class="text-xs text-slate-600">{tr("set-role")}
                    <select name="role" class=format!("block {input}")>
                        {ROLES.iter().filter(|r| owner || **r != "owner").map(|r| view! { <option value=*r>{role_label(r)}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white">{tr("set-invite-send")}</button>
            </RpcForm>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="mt-2 text-xs text-slate-500">{tr("set-invite-none")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="mt-2 divide-y divide-slate-100 text-sm">
                                {list.into_iter().map(|i| {
                                    let manageable = owner || i.role != crate::domain::Role::Owner;
                                    let state = if i.expired {
                                        tr("set-invite-expired")
                                    } else {
                                        tr_args("set-invite-until", &[("date", crate::app::clock::when(&i.expires_at).into())])
                                    };
                                    view! {
                                        <li class="flex flex-wrap items-center gap-2 py-2" data-testid="invitation-row">
                                            <span class="font-medium">{i.email.clone()}</span>
                                            <span class="text-slate-500">{role_label(i.role.as_str())}</span>
                                            <span class="text-xs text-slate-500">{state}</span>
                                            {i.invited_by.clone().map(|by| view! { <span class="text-xs text-slate-500">{tr_args("set-invite-by", &[("name", by.into())])}</span> })}
                                            <RpcForm action=ChangeInvitation::PATH attr:class="ml-auto">
                                                <input type="hidden" name="id" value=i.id.to_string() />
                                                <input type="hidden" name="op" value="resend" />
                                                <button type="submit" disabled=!manageable class="hover:underline disabled:opacity-40">{tr("set-invite-resend")}</button>
                                            </RpcForm>
                                            <RpcForm action=ChangeInvitation::PATH attr:data-confirm=tr("set-invite-revoke-confirm")>
                                                <input type="hidden" name="id" value=i.id.to_string() />
                                                <input type="hidden" name="op" value="revoke" />
                                                <button type="submit" disabled=!manageable class="text-red-700 hover:underline disabled:opacity-40">{tr("set-invite-revoke")}</button>
                                            </RpcForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The owner's choice: two-factor sign-in for everyone, or each user's own.
#[component]
fn TwoFactorRuleForm() -> impl IntoView {
    let data = Resource::new(|| (), |_| two_factor_rule());
    view! {
        <div class="mt-4 border-t border-slate-100 pt-3" data-testid="two-factor-rule">
            <h3 class="text-sm font-semibold">{tr("set-two-factor-title")}</h3>
            <p class="text-xs text-slate-600">{tr("set-two-factor-intro")}</p>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok(required) => view! {
                            <RpcForm action=RequireTwoFactor::PATH attr:class="mt-2 flex flex-wrap items-center gap-2"
                                confirm=if required { tr("set-two-factor-off-confirm") } else { tr("set-two-factor-on-confirm") }>
                                <input type="hidden" name="required" value=if required { "off" } else { "on" } />
                                <span class="text-sm" data-testid="two-factor-required">
                                    {if required { tr("set-two-factor-is-required") } else { tr("set-two-factor-is-optional") }}
                                </span>
                                <button type="submit" class="rounded-md border border-slate-300 px-2 py-1 text-sm">
                                    {if required { tr("set-two-factor-make-optional") } else { tr("set-two-factor-require") }}
                                </button>
                                <p role="alert" data-form-error="" hidden class="w-full text-sm text-red-600"></p>
                            </RpcForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

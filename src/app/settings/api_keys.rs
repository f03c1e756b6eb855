//! Settings → API keys: create one (name, scopes, allowed domain; the token is shown once),
//! see when each was last used, revoke.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::app::feedback::{ErrorBanner, RpcForm};
use crate::domain::ApiKeyInfo;
use crate::i18n::{tr, tr_args};

/// Scopes offered in the form (their names are what keys store).
const SCOPES: &[&str] = &[
    "opportunities:read",
    "opportunities:write",
    "activities:read",
    "activities:write",
    "deals:read",
    "deals:write",
    "contacts:read",
    "contacts:write",
    "users:read",
    "users:write",
    "config:manage",
    "all",
];

/// What a scope allows, in the render's language.
fn scope_help(scope: &str) -> String {
    match scope {
        "opportunities:read" => tr("set-scope-opportunities-read"),
        "opportunities:write" => tr("set-scope-opportunities-write"),
        "activities:read" => tr("set-scope-activities-read"),
        "activities:write" => tr("set-scope-activities-write"),
        "deals:read" => tr("set-scope-deals-read"),
        "deals:write" => tr("set-scope-deals-write"),
        "contacts:read" => tr("set-scope-contacts-read"),
        "contacts:write" => tr("set-scope-contacts-write"),
        "users:read" => tr("set-scope-users-read"),
        "users:write" => tr("set-scope-users-write"),
        "config:manage" => tr("set-scope-config-manage"),
        "all" => tr("set-scope-all"),
        _ => String::new(),
    }
}

/// The account's keys (owners and admins only).
#[server(prefix = "/rpc", endpoint = "api_keys")]
pub async fn api_keys() -> Result<Vec<ApiKeyInfo>, AppError> {
    use crate::app::server_ctx::configurer;
    use crate::server::auth::api_keys;
    let (state, me) = configurer().await?;
    api_keys::list_keys(&state.db, me.account_id)
        .await
        .map_err(AppError::from)
}

/// Creates a key; answers its token, which is never shown again.
#[server(prefix = "/rpc", endpoint = "create_api_key")]
pub async fn create_api_key(
    name: String,
    #[server(default)] scopes: Vec<String>,
    #[server(default)] allowed_domain: String,
) -> Result<String, AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    let domain = Some(allowed_domain.as_str()).filter(|d| !d.trim().is_empty());
    crate::server::services::accounts::api_keys::create(&state.db, &me, &name, &scopes, domain)
        .await
        .map(|k| k.token)
        .map_err(AppError::from)
}

/// Revokes a key.
#[server(prefix = "/rpc", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::accounts::api_keys::revoke(&state.db, &me, id)
        .await
        .map_err(AppError::from)
}

/// The API keys section of `/settings` (shown to owners and admins).
#[component]
pub fn ApiKeySettings() -> impl IntoView {
    let data = Resource::new(|| (), |_| api_keys());
    view! {
        <section id=super::section::API_KEYS class=super::SECTION data-testid="api-key-settings">
            <h2 class="font-semibold mb-2">{tr("set-api-keys")}</h2>
            <p class="mb-2 text-sm text-slate-600">
                {format!("{} ", tr("set-api-keys-help"))}
                <a class="text-indigo-700 underline" href="/api/docs" rel="external">{tr("set-api-reference")}</a>
            </p>
            <ErrorBanner testid="api-keys-error" />
            <div id=KEY_LIST>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">{tr("set-api-keys-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok(keys) if keys.is_empty() => view! { <p class="text-sm text-slate-500">{tr("set-api-keys-empty")}</p> }.into_any(),
                        Ok(keys) => view! {
                            <ul class="divide-y divide-slate-100 text-sm">
                                {keys.into_iter().map(|k| view! {
                                    <li class="flex flex-wrap items-center gap-2 py-2" data-testid="api-key-row" class:opacity-60=k.revoked>
                                        <span class="font-medium">{k.name.clone()}</span>
                                        <code class="text-xs text-slate-500">{format!("{}…", k.prefix)}</code>
                                        <span class="text-xs text-slate-600">{k.scopes.clone()}</span>
                                        {k.made_by.clone().map(|by| view! {
                                            <span class="text-xs" class:text-slate-500=!k.made_by_deactivated class:text-amber-700=k.made_by_deactivated data-testid="api-key-made-by">
                                                {if k.made_by_deactivated {
                                                    tr_args("set-api-key-by-deactivated", &[("name", by.into())])
                                                } else {
                                                    tr_args("set-api-key-by", &[("name", by.into())])
                                                }}
                                            </span>
                                        })}
                                        {k.allowed_domain.clone().map(|d| view! { <span class="text-xs text-slate-600">{tr_args("set-api-key-only-from", &[("domain", d.into())])}</span> })}
                                        <span class="text-xs text-slate-500">{match &k.last_used_at {
                                            Some(t) => tr_args("set-api-key-last-used", &[("when", super::when(t).into())]),
                                            None => tr("set-api-key-never-used"),
                                        }}</span>
                                        {if k.revoked {
                                            view! { <span class="ml-auto rounded bg-slate-100 px-1.5 text-xs">{tr("set-api-key-revoked")}</span> }.into_any()
                                        } else {
                                            view! {
                                                <RpcForm action=RevokeApiKey::PATH refresh=&[KEY_LIST] attr:class="ml-auto" attr:data-confirm=tr("set-api-key-revoke-confirm")>
                                                    <input type="hidden" name="id" value=k.id.to_string() />
                                                    <button type="submit" class="text-red-700 hover:underline">{tr("set-api-key-revoke")}</button>
                                                </RpcForm>
                                            }.into_any()
                                        }}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            </div>
            <NewApiKeyForm />
        </section>
    }
}

/// The id of the list of keys, drawn anew in place when a key is created or revoked.
const KEY_LIST: &str = "api-key-list";

/// The form that creates a key. An island: the new key is shown here, once, without leaving
/// the page (a reload would lose it), and the list beside it is drawn anew with the key.
#[island(lazy)]
fn NewApiKeyForm() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let token = move || create.value().get().and_then(|r| r.ok());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if token().is_some() {
            crate::app::enhance::redraw_in_place(&[KEY_LIST]);
        }
    });
    let error = move || {
        create
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.to_string())
    };
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <Show when=move || token().is_some()>
            <div role="status" class="mt-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm">
                <p class="font-medium">{tr("set-api-key-copy-now")}</p>
                <code class="break-all" data-testid="new-api-key">{token}</code>
                <p class="mt-1"><a class="text-indigo-700 underline" href="">{tr("set-api-key-done")}</a></p>
            </div>
        </Show>
        <Show when=move || error().is_some()>
            <p role="alert" class="mt-3 text-sm text-red-700">{error}</p>
        </Show>
        <ActionForm action=create attr:class="mt-3 space-y-2 border-t border-slate-100 pt-3" attr:data-testid="add-api-key">
            <div class="flex flex-wrap items-end gap-2">
                <label class="text-xs text-slate-600">{tr("set-name")}
                    <input name="name" required maxlength="100" placeholder=tr("set-api-key-name-placeholder") class=format!("block {input}") />
                </label>
                <label class="text-xs text-slate-600">{tr("set-api-key-domain")}
                    <input name="allowed_domain" placeholder="shop.example.com" class=format!("block {input}") />
                </label>
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white">{tr("set-api-key-create")}</button>
            </div>
            <fieldset class="flex flex-wrap gap-3 text-xs text-slate-700">
                <legend class="sr-only">{tr("set-api-key-scopes")}</legend>
                {SCOPES.iter().enumerate().map(|(i, s)| view! {
                    <label class="flex items-center gap-1" title=scope_help(s)>
                        <input type="checkbox" name=format!("scopes[{i}]") value=*s />
                        {*s}
                    </label>
                }).collect_view()}
            </fieldset>
        </ActionForm>
    }
}

//! `/organizations` (search, pagination, add) and `/organizations/:id` (its people, deals and
//! activities, and a rename form).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::app::error::AppError;
use crate::domain::contact::{OrganizationDetail, OrganizationSummary, Page};
use crate::domain::OrganizationId;
use crate::i18n::{tr, tr_args};

use super::feedback::{ErrorBanner, RpcForm};
use super::related::{route_id, ActivityLines, DealLines, LoadError, Pager, SearchHeader};

/// A page of organizations whose name contains `q`.
#[server(prefix = "/rpc", endpoint = "list_organizations")]
pub async fn list_organizations(
    #[server(default)] q: String,
    #[server(default)] page: Option<i64>,
) -> Result<Page<OrganizationSummary>, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::organizations::list(&state.db, (&me).into(), &q, page.unwrap_or(1))
        .await
        .map_err(AppError::from)
}

/// Adds an organization (no `id`) or renames one.
#[server(prefix = "/rpc", endpoint = "save_organization")]
pub async fn save_organization(
    #[server(default)] id: String,
    name: String,
) -> Result<OrganizationId, AppError> {
    use super::server_ctx::{form_id, signed_in};
    use crate::server::services::organizations::{create_organization, rename_organization};
    let (state, me) = signed_in().await?;
    match form_id("id", &id)? {
        None => create_organization(&state.db, (&me).into(), &name).await,
        Some(id) => rename_organization(&state.db, (&me).into(), id, &name)
            .await
            .map(|_| id),
    }
    .map_err(AppError::from)
}

/// An organization with its contacts, deals and activities.
#[server(prefix = "/rpc", endpoint = "get_organization")]
pub async fn get_organization(id: OrganizationId) -> Result<OrganizationDetail, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    let mut detail =
        crate::server::services::organizations::detail(&state.db, (&me).into(), id).await?;
    crate::server::services::activities::on_clock_of(
        &mut detail.activities,
        crate::server::time_zone::of(&me),
    );
    Ok(detail)
}

/// `/organizations`.
#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok());
    let list = Resource::new(
        move || (q(), page()),
        |(q, page)| list_organizations(q, page),
    );
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <div class="mx-auto max-w-5xl">
            <SearchHeader title=tr("org-heading") placeholder=tr("org-search-placeholder") label=tr("org-search-label") q=q() export="/export/organizations.csv" />
            <section class="rounded-lg bg-white p-4 shadow-sm mb-4">
                <RpcForm action=SaveOrganization::PATH attr:data-testid="organization-form" attr:class="flex flex-wrap items-end gap-2">
                    <label class="text-xs text-slate-600 grow">{tr("org-name")}
                        <input name="name" required maxlength="150" class=format!("block w-full {input}") />
                    </label>
                    <button type="submit"
                        class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white hover:bg-indigo-700 disabled:opacity-60">{tr("org-add")}</button>
                </RpcForm>
                <div class="mt-2"><ErrorBanner testid="organization-error" /></div>
            </section>
            <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("org-loading")}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <LoadError message=e.to_string() /> }.into_any(),
                        Ok(p) if p.items.is_empty() => view! {
                            <p class="rounded-lg bg-white p-6 text-center text-slate-500 shadow-sm">
                                {if q().is_empty() { tr("org-empty") } else { tr("org-no-match") }}
                            </p>
                        }.into_any(),
                        Ok(p) => {
                            let pages = p.pages();
                            let current = p.page;
                            let summary = tr_args("org-pager", &[
                                ("total", p.total.into()),
                                ("page", current.into()),
                                ("pages", pages.into()),
                            ]);
                            let link = move |n: i64| format!("/organizations?q={}&page={n}", crate::domain::url_encode(&q()));
                            view! {
                                <table class="w-full rounded-lg bg-white text-sm shadow-sm" data-testid="organizations">
                                    <thead class="text-left text-xs text-slate-500">
                                        <tr><th class="p-2">{tr("org-name")}</th><th class="p-2 text-right">{tr("org-contacts")}</th><th class="p-2 text-right">{tr("org-open-deals")}</th></tr>
                                    </thead>
                                    <tbody>
                                        {p.items.into_iter().map(|o| view! {
                                            <tr class="border-t border-slate-100">
                                                <td class="p-2"><a href=format!("/organizations/{}", o.id) class="font-medium text-indigo-700 hover:underline">{o.name}</a></td>
                                                <td class="p-2 text-right">{o.contacts}</td>
                                                <td class="p-2 text-right">{o.open_deals}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <Pager summary=summary page=current pages=pages link=link />
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/organizations/:id`.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    let id = route_id();
    let org = Resource::new(id, get_organization);
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("org-loading-one")}</p> }>
            {move || Suspend::new(async move {
                match org.await {
                    Err(e) => view! {
                        <div role="alert" class="m-6 rounded-md border border-red-200 bg-red-50 p-4 text-red-800">
                            <p class="font-medium">{tr("org-load-failed")}</p>
                            <p class="text-sm">{e.to_string()}</p>
                            <a href="/organizations" class="mt-2 inline-block text-sm underline">{tr("org-all")}</a>
                        </div>
                    }.into_any(),
                    Ok(d) => view! {
                        <div class="mx-auto max-w-5xl space-y-4">
                            <div>
                                <a href="/organizations" class="text-sm text-slate-500 underline">{tr("org-heading")}</a>
                                <h1 class="text-2xl font-semibold" data-testid="organization-name">{d.organization.name.clone()}</h1>
                                <p class="text-sm text-slate-600">{format!(
                                    "{} · {}",
                                    tr_args("org-contacts-count", &[("count", d.organization.contacts.into())]),
                                    tr_args("org-open-deals-count", &[("count", d.organization.open_deals.into())]),
                                )}</p>
                            </div>
                            <ErrorBanner testid="organization-error" />
                            <details class="rounded-lg bg-white p-4 shadow-sm">
                                <summary class="cursor-pointer text-sm font-medium text-indigo-700">{tr("org-rename")}</summary>
                                <RpcForm action=SaveOrganization::PATH attr:class="mt-3 flex gap-2">
                                    <input type="hidden" name="id" value=d.organization.id.to_string() />
                                    <input name="name" required maxlength="150" value=d.organization.name.clone() aria-label=tr("org-name-label") class=format!("w-72 {input}") />
                                    <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1 text-sm text-white">{tr("common-save")}</button>
                                </RpcForm>
                            </details>
                            <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="organization-contacts">
                                <h2 class="font-semibold mb-2">{tr("org-people")}</h2>
                                {if d.contacts.is_empty() {
                                    view! { <p class="text-sm text-slate-500">{tr("org-no-contacts")}</p> }.into_any()
                                } else {
                                    view! { <ul class="divide-y divide-slate-100 text-sm">
                                        {d.contacts.into_iter().map(|c| view! {
                                            <li class="flex gap-3 py-1.5">
                                                <a class="text-indigo-700 underline" href=format!("/contacts/{}", c.id)>{c.full_name}</a>
                                                <span class="text-slate-500">{[c.email, c.phone].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul> }.into_any()
                                }}
                            </section>
                            <DealLines deals=d.deals empty=tr("org-no-deals") />
                            <ActivityLines activities=d.activities />
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

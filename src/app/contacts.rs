//! `/contacts` (search, pagination, add) and `/contacts/:id` (their deals and activities).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::app::error::AppError;
use crate::domain::catalog::Choice;
use crate::domain::contact::{ContactDetail, ContactSummary, Page};
use crate::domain::ContactId;
use crate::i18n::{tr, tr_args};

use super::feedback::{ErrorBanner, RpcForm};
use super::related::{route_id, ActivityLines, DealLines, LoadError, Pager, SearchHeader};

/// A page of contacts matching `q`.
#[server(prefix = "/rpc", endpoint = "list_contacts")]
pub async fn list_contacts(
    #[server(default)] q: String,
    #[server(default)] page: Option<i64>,
) -> Result<Page<ContactSummary>, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::contacts::list(&state.db, (&me).into(), &q, page.unwrap_or(1))
        .await
        .map_err(AppError::from)
}

/// Adds a contact.
#[server(prefix = "/rpc", endpoint = "add_contact")]
pub async fn add_contact(
    full_name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
) -> Result<ContactId, AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::contacts::{create_contact, NewContact};
    let (state, me) = signed_in().await?;
    let new = NewContact {
        full_name,
        email: Some(email),
        phone: Some(phone),
        organization_id: None,
    };
    create_contact(&state.db, (&me).into(), new)
        .await
        .map(|c| c.id)
        .map_err(AppError::from)
}

/// Changes a contact (same checks as adding one).
#[server(prefix = "/rpc", endpoint = "edit_contact")]
pub async fn edit_contact(
    id: ContactId,
    full_name: String,
    #[server(default)] email: String,
    #[server(default)] phone: String,
    #[server(default)] organization_id: String,
) -> Result<(), AppError> {
    use super::server_ctx::{form_id, signed_in};
    use crate::server::services::contacts::{update_contact, NewContact};
    let (state, me) = signed_in().await?;
    let edit = NewContact {
        full_name,
        email: Some(email),
        phone: Some(phone),
        organization_id: form_id("organization_id", &organization_id)?,
    };
    update_contact(&state.db, (&me).into(), id, edit)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// The account's organizations for pickers.
#[server(prefix = "/rpc", endpoint = "organization_choices")]
pub async fn organization_choices() -> Result<Vec<Choice>, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::catalog::organizations(&state.db, me.account_id)
        .await
        .map_err(AppError::from)
}

/// A contact with their deals and activities.
#[server(prefix = "/rpc", endpoint = "get_contact")]
pub async fn get_contact(id: ContactId) -> Result<ContactDetail, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    let mut detail = crate::server::services::contacts::detail(&state.db, (&me).into(), id).await?;
    crate::server::services::activities::on_clock_of(
        &mut detail.activities,
        crate::server::time_zone::of(&me),
    );
    Ok(detail)
}

/// `/contacts`.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok());
    let list = Resource::new(move || (q(), page()), |(q, page)| list_contacts(q, page));
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <div class="mx-auto max-w-5xl">
            <SearchHeader title=tr("contact-heading") placeholder=tr("contact-search-placeholder") label=tr("contact-search-label") q=q() export="/export/contacts.csv" />
            <section class="rounded-lg bg-white p-4 shadow-sm mb-4">
                <RpcForm action=AddContact::PATH attr:data-testid="contact-form">
                    <div class="flex flex-wrap items-end gap-2">
                        <label class="text-xs text-slate-600 grow">{tr("contact-name")}
                            <input name="full_name" required maxlength="150" class=format!("block w-full {input}") />
                        </label>
                        <label class="text-xs text-slate-600">{tr("contact-email")}
                            <input name="email" type="email" class=format!("block {input}") />
                        </label>
                        <label class="text-xs text-slate-600">{tr("contact-phone-field")}
                            <input name="phone" type="tel" placeholder=tr("contact-phone-placeholder") class=format!("block {input}") />
                        </label>
                        <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white hover:bg-indigo-700">{tr("contact-add")}</button>
                    </div>
                    <p role="alert" data-form-error="" hidden class="mt-2 text-sm text-red-700"></p>
                </RpcForm>
            </section>
            <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("contact-loading")}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <LoadError message=e.to_string() /> }.into_any(),
                        Ok(p) if p.items.is_empty() => view! {
                            <p class="rounded-lg bg-white p-6 text-center text-slate-500 shadow-sm">
                                {if q().is_empty() { tr("contact-empty") } else { tr("contact-no-match") }}
                            </p>
                        }.into_any(),
                        Ok(p) => {
                            let pages = p.pages();
                            let current = p.page;
                            let summary = tr_args("contact-pager", &[
                                ("total", p.total.into()),
                                ("page", current.into()),
                                ("pages", pages.into()),
                            ]);
                            let link = move |n: i64| format!("/contacts?q={}&page={n}", crate::domain::url_encode(&q()));
                            view! {
                                <table class="w-full rounded-lg bg-white text-sm shadow-sm" data-testid="contacts">
                                    <thead class="text-left text-xs text-slate-500">
                                        <tr><th class="p-2">{tr("contact-name")}</th><th class="p-2 max-sm:hidden">{tr("contact-company")}</th><th class="p-2 max-sm:hidden">{tr("contact-email")}</th><th class="p-2 max-sm:hidden">{tr("contact-phone")}</th><th class="p-2 text-right">{tr("contact-open-deals")}</th></tr>
                                    </thead>
                                    <tbody>
                                        {p.items.into_iter().map(|c| {
                                            // On a phone the company and e-mail go under the name.
                                            let under = [c.organization_name.clone(), c.email.clone()]
                                                .into_iter()
                                                .flatten()
                                                .collect::<Vec<_>>()
                                                .join(" · ");
                                            view! {
                                            <tr class="border-t border-slate-100">
                                                <td class="p-2"><a href=format!("/contacts/{}", c.id) class="font-medium text-indigo-700 hover:underline">{c.full_name}</a>
                                                    <span class="block break-all text-xs text-slate-600 sm:hidden">{under}</span></td>
                                                <td class="p-2 max-sm:hidden">{c.organization_name.unwrap_or_default()}</td>
                                                <td class="p-2 max-sm:hidden">{c.email.unwrap_or_default()}</td>
                                                <td class="p-2 max-sm:hidden">{c.phone.unwrap_or_default()}</td>
                                                <td class="p-2 text-right">{c.open_deals}</td>
                                            </tr>
                                        }}).collect_view()}
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

/// `/contacts/:id`.
#[component]
pub fn ContactPage() -> impl IntoView {
    let id = route_id();
    let contact = Resource::new(id, |id| async move {
        Ok::<_, AppError>((get_contact(id).await?, organization_choices().await?))
    });
    view! {
        <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("contact-loading-one")}</p> }>
            {move || Suspend::new(async move {
                match contact.await {
                    Err(e) => view! {
                        <div role="alert" class="m-6 rounded-md border border-red-200 bg-red-50 p-4 text-red-800">
                            <p class="font-medium">{tr("contact-load-failed")}</p>
                            <p class="text-sm">{e.to_string()}</p>
                            <a href="/contacts" class="mt-2 inline-block text-sm underline">{tr("contact-all")}</a>
                        </div>
                    }.into_any(),
                    Ok((d, orgs)) => view! {
                        <div class="mx-auto max-w-5xl space-y-4">
                            <div>
                                <a href="/contacts" class="text-sm text-slate-500 underline">{tr("contact-heading")}</a>
                                <h1 class="text-2xl font-semibold" data-testid="contact-name">{d.contact.full_name.clone()}</h1>
                                <p class="text-sm text-slate-600" data-testid="contact-line">
                                    {d.contact.organization_id.zip(d.contact.organization_name.clone()).map(|(oid, name)| view! {
                                        <a class="text-indigo-700 underline" href=format!("/organizations/{oid}")>{name}</a>
                                        " · "
                                    })}
                                    {[d.contact.email.clone(), d.contact.phone.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}
                                </p>
                                {d.contact.duplicate_of.map(|other| {
                                    let (before, after) = possible_duplicate();
                                    view! {
                                        <p class="mt-1 text-sm text-amber-700" data-testid="possible-duplicate">
                                            {before}
                                            <a class="underline" href=format!("/contacts/{other}")>{tr("contact-another-contact")}</a>
                                            {after}
                                        </p>
                                    }
                                })}
                            </div>
                            <ErrorBanner testid="contact-error" />
                            <ContactEditForm contact=d.contact.clone() orgs=orgs />
                            <DealLines deals=d.deals empty=tr("contact-no-deals") />
                            <ActivityLines activities=d.activities />
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The sentence that says a lead may have brought this person in twice, cut where its link to
/// the other contact goes: (before the link, after it).
fn possible_duplicate() -> (String, String) {
    const LINK: &str = "\u{1}";
    let sentence = tr_args("contact-possible-duplicate", &[("link", LINK.into())]);
    match sentence.split_once(LINK) {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (sentence, String::new()),
    }
}

/// The contact's fields, editable (folded away until opened).
#[component]
fn ContactEditForm(contact: ContactSummary, orgs: Vec<Choice>) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let current_org = contact.organization_id;
    view! {
        <details class="rounded-lg bg-white p-4 shadow-sm" data-testid="contact-edit">
            <summary class="cursor-pointer text-sm font-medium text-indigo-700">{tr("contact-edit")}</summary>
            <RpcForm action=EditContact::PATH attr:class="mt-3 flex flex-wrap items-end gap-2">
                <input type="hidden" name="id" value=contact.id.to_string() />
                <label class="text-xs text-slate-600">{tr("contact-name")}
                    <input name="full_name" required maxlength="150" value=contact.full_name.clone() class=format!("block w-56 {input}") />
                </label>
                <label class="text-xs text-slate-600">{tr("contact-email")}
                    <input name="email" type="email" value=contact.email.clone().unwrap_or_default() class=format!("block {input}") />
                </label>
                <label class="text-xs text-slate-600">{tr("contact-phone-field")}
                    <input name="phone" type="tel" value=contact.phone.clone().unwrap_or_default() class=format!("block {input}") />
                </label>
                <label class="text-xs text-slate-600">{tr("contact-organization")}
                    <select name="organization_id" class=format!("block {input}")>
                        <option value="">{tr("contact-no-organization")}</option>
                        {orgs.into_iter().map(|o| view! {
                            <option value=o.id.to_string() selected=current_org.map(i64::from) == Some(o.id)>{o.name}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit"
                    class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white hover:bg-indigo-700 disabled:opacity-60">{tr("common-save")}</button>
            </RpcForm>
        </details>
    }
}

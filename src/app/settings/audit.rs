//! `/settings/audit`: the account's audit log for owners and admins, newest first, filtered by
//! action, user and days (in the reader's time zone), a page at a time, and as CSV
//! (`/export/audit.csv` with the same filter).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::app::error::AppError;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::UserId;
use crate::i18n::{tr, tr_args};

/// One page of the log, with what the filter offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPageView {
    pub entries: Vec<AuditEntry>,
    /// The `before` of the next (older) page, when there is one.
    pub next: Option<i64>,
    /// The account's users (id, name), for the filter.
    pub people: Vec<(UserId, String)>,
}

/// A page of the log under the filter (every value as typed; "" is no filter).
#[server(prefix = "/rpc", endpoint = "audit_log")]
pub async fn audit_log(
    #[server(default)] action: String,
    #[server(default)] user: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] before: Option<i64>,
) -> Result<AuditPageView, AppError> {
    use crate::app::server_ctx::configurer;
    use crate::server::services::audit::{self, AuditFilter};
    let (state, me) = configurer().await?;
    let zone = crate::server::time_zone::of(&me);
    let filter = AuditFilter::parse(zone, &action, &user, &from, &to)?;
    let (entries, next) = audit::page(&state.db, &me, &filter, before).await?;
    Ok(AuditPageView {
        entries,
        next,
        people: audit::people(&state.db, &me).await?,
    })
}

/// An action as people read it.
fn action_label(a: AuditAction) -> String {
    tr(&format!("audit-action-{}", a.as_str()))
}

/// `/settings/audit`.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked();
    let get = |k: &str| q.get(k).unwrap_or_default();
    let (action, user, from, to) = (get("action"), get("user"), get("from"), get("to"));
    let before = q.get("before").and_then(|b| b.parse::<i64>().ok());
    drop(q);
    let args = (action.clone(), user.clone(), from.clone(), to.clone());
    let data = Resource::new(
        || (),
        move |_| {
            let (a, u, f, t) = args.clone();
            audit_log(a, u, f, t, before)
        },
    );
    let filter_query = format!(
        "action={}&user={}&from={}&to={}",
        crate::domain::url_encode(&action),
        crate::domain::url_encode(&user),
        crate::domain::url_encode(&from),
        crate::domain::url_encode(&to)
    );
    let input = "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <div class="mx-auto max-w-6xl space-y-4" data-testid="audit">
            <div class="flex flex-wrap items-baseline gap-3">
                <h1 class="text-xl font-semibold">{tr("audit-title")}</h1>
                <a href="/settings" class="text-sm text-indigo-700 hover:underline">{tr("audit-back")}</a>
            </div>
            <p class="text-sm text-slate-600">{tr("audit-intro")}</p>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {
                    let (action, user, from, to, filter_query) = (action.clone(), user.clone(), from.clone(), to.clone(), filter_query.clone());
                    move || {
                        let (action, user, from, to, filter_query) = (action.clone(), user.clone(), from.clone(), to.clone(), filter_query.clone());
                        Suspend::new(async move {
                            match data.await {
                                Err(e) => view! { <p role="alert" class="text-sm text-red-700" data-testid="audit-error">{e.to_string()}</p> }.into_any(),
                                Ok(page) => view! {
                                    <form method="get" action="/settings/audit" class="flex flex-wrap items-end gap-2 rounded-lg bg-white p-3 shadow-sm" data-testid="audit-filter">
                                        <label class="text-xs text-slate-600">{tr("audit-action")}
                                            <select name="action" class=input>
                                                <option value="">{tr("audit-any")}</option>
                                                {AuditAction::ALL.iter().map(|a| view! {
                                                    <option value=a.as_str() selected=action == a.as_str()>{action_label(*a)}</option>
                                                }).collect_view()}
                                            </select>
                                        </label>
                                        <label class="text-xs text-slate-600">{tr("audit-user")}
                                            <select name="user" class=input>
                                                <option value="">{tr("audit-anyone")}</option>
                                                {page.people.iter().map(|(id, name)| {
                                                    let v = id.to_string();
                                                    view! { <option value=v.clone() selected=user == v>{name.clone()}</option> }
                                                }).collect_view()}
                                            </select>
                                        </label>
                                        <label class="text-xs text-slate-600">{tr("audit-from")}
                                            <input type="date" name="from" value=from.clone() class=input />
                                        </label>
                                        <label class="text-xs text-slate-600">{tr("audit-to")}
                                            <input type="date" name="to" value=to.clone() class=input />
                                        </label>
                                        <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white">{tr("audit-filter")}</button>
                                        <a href=format!("/export/audit.csv?{filter_query}") class="ml-auto text-sm text-indigo-700 hover:underline" data-testid="audit-csv" download>{tr("audit-csv")}</a>
                                    </form>
                                    <AuditTable entries=page.entries.clone() />
                                    {page.next.map(|n| view! {
                                        <a href=format!("/settings/audit?{filter_query}&before={n}") class="text-sm text-indigo-700 hover:underline" data-testid="audit-older">{tr("audit-older")}</a>
                                    })}
                                }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
        </div>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="rounded-lg bg-white p-4 text-sm text-slate-500 shadow-sm" data-testid="audit-empty">{tr("audit-none")}</p> }.into_any();
    }
    view! {
        <div class="overflow-x-auto rounded-lg bg-white shadow-sm">
            <table class="w-full text-left text-sm">
                <caption class="sr-only">{tr("audit-title")}</caption>
                <thead class="border-b border-slate-200 text-xs uppercase text-slate-500">
                    <tr>
                        <th scope="col" class="px-3 py-2">{tr("audit-when")}</th>
                        <th scope="col" class="px-3 py-2">{tr("audit-who")}</th>
                        <th scope="col" class="px-3 py-2">{tr("audit-action")}</th>
                        <th scope="col" class="px-3 py-2">{tr("audit-what")}</th>
                        <th scope="col" class="px-3 py-2">{tr("audit-address")}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {entries.into_iter().map(|e| {
                        let who = match (&e.actor, &e.api_key) {
                            (a, Some(k)) if !a.is_empty() => tr_args("audit-via-key", &[("who", a.clone().into()), ("key", k.clone().into())]),
                            (_, Some(k)) => tr_args("audit-key", &[("key", k.clone().into())]),
                            (a, None) if a.is_empty() => tr("audit-system"),
                            (a, None) => a.clone(),
                        };
                        view! {
                            <tr data-testid="audit-row" data-action=e.action.as_str()>
                                <td class="whitespace-nowrap px-3 py-2 text-slate-600">{crate::app::clock::when(&e.at)}</td>
                                <td class="px-3 py-2">{who}</td>
                                <td class="px-3 py-2 font-medium">{action_label(e.action)}</td>
                                <td class="px-3 py-2">
                                    {e.subject.clone()}
                                    {e.detail.clone().map(|d| view! { <span class="block text-xs text-slate-500">{d}</span> })}
                                </td>
                                <td class="px-3 py-2 font-mono text-xs text-slate-600">{e.address.clone().unwrap_or_default()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

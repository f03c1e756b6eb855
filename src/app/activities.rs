//! `/activities`: my activities grouped overdue / today / upcoming / done, with filters and a
//! form to add one; and `/leaderboard`: points per salesperson.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use crate::app::error::AppError;
use crate::domain::activity::{ActivityGroups, ActivityItem, LeaderboardRow};
use crate::domain::catalog::Choice;
use crate::domain::{ActivityId, DealId, UserSummary};
use crate::i18n::format::{date, money};
use crate::i18n::{tr, Locale};

use super::feedback::{ErrorBanner, RpcForm};
use super::related::LoadError;

/// The activity kinds, in the order forms offer them.
pub(crate) const KINDS: &[&str] = &["call", "meeting", "email", "task", "note"];

/// A kind as a form's picker names it ("Call"); an unknown kind as it is.
fn kind_label(kind: &str) -> String {
    match kind {
        "call" => tr("act-kind-call"),
        "meeting" => tr("act-kind-meeting"),
        "email" => tr("act-kind-email"),
        "task" => tr("act-kind-task"),
        "note" => tr("act-kind-note"),
        other => other.to_string(),
    }
}

/// A kind as the tag beside an activity names it ("call"); an unknown kind as it is.
pub(crate) fn kind_tag(kind: &str) -> String {
    match kind {
        "call" => tr("act-tag-call"),
        "meeting" => tr("act-tag-meeting"),
        "email" => tr("act-tag-email"),
        "task" => tr("act-tag-task"),
        "note" => tr("act-tag-note"),
        other => other.to_string(),
    }
}

/// A due time on the reader's clock (`2026-05-01T14:30`) as the lists show it: the date in
/// the language's order and the time to the minute (`05/01/2026 14:30`); `None` when it is
/// not a time.
pub(crate) fn due_text(due_at: &str, locale: Locale) -> Option<String> {
    let day = due_at.get(..10)?;
    let time = due_at.get(11..16)?;
    Some(format!("{} {time}", date(day, locale)))
}

/// Activities matching the filters (by default the signed-in user's), grouped, with the
/// account's users and the deals the user may see for the pickers.
#[server(prefix = "/rpc", endpoint = "list_activities")]
pub async fn list_activities(
    #[server(default)] user: String,
    #[server(default)] kind: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<(ActivityGroups, Vec<UserSummary>, Vec<Choice>), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::{accounts, activities, deals};
    use crate::server::time_zone;
    let (state, me) = signed_in().await?;
    let filter = activities::page_filter(me.id, &user, kind, from, to)?;
    let items = activities::list(&state.db, (&me).into(), &filter).await?;
    let users = accounts::list_users(&state.db, me.account_id).await?;
    let deals = deals::pick_list(&state.db, (&me).into()).await?;
    Ok((
        activities::grouped_for(items, chrono::Utc::now(), time_zone::of(&me)),
        users,
        deals,
    ))
}

/// Adds an activity for the signed-in user.
#[server(prefix = "/rpc", endpoint = "add_activity")]
pub async fn add_activity(
    kind: String,
    title: String,
    #[server(default)] description: String,
    #[server(default)] due_at: String,
    #[server(default)] deal_id: String,
    #[server(default)] user_id: String,
) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::activities::create_activity;
    let (state, me) = signed_in().await?;
    let new = activity_form(
        kind,
        title,
        description,
        due_at,
        &deal_id,
        &user_id,
        crate::server::time_zone::of(&me),
    )?;
    create_activity(&state.db, (&me).into(), new)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Changes an activity's fields.
#[server(prefix = "/rpc", endpoint = "edit_activity")]
pub async fn edit_activity(
    id: ActivityId,
    kind: String,
    title: String,
    #[server(default)] description: String,
    #[server(default)] due_at: String,
    #[server(default)] deal_id: String,
    #[server(default)] user_id: String,
) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::activities::update_activity;
    let (state, me) = signed_in().await?;
    let edit = activity_form(
        kind,
        title,
        description,
        due_at,
        &deal_id,
        &user_id,
        crate::server::time_zone::of(&me),
    )?;
    update_activity(&state.db, (&me).into(), id, edit)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// An activity form's fields as the service takes them (an empty user is the signed-in one).
#[cfg(feature = "ssr")]
fn activity_form(
    kind: String,
    title: String,
    description: String,
    due_at: String,
    deal_id: &str,
    user_id: &str,
    zone: chrono_tz::Tz,
) -> crate::server::ServiceResult<crate::server::services::activities::NewActivity> {
    use super::server_ctx::form_id;
    use crate::domain::UserId;
    let due_at = crate::server::time_zone::typed(&due_at, zone)
        .map_err(|e| crate::server::ServiceError::invalid("due_at", e))?;
    Ok(crate::server::services::activities::NewActivity {
        kind,
        title,
        description,
        due_at: Some(due_at),
        deal_id: form_id("deal_id", deal_id)?.map(DealId),
        user_id: form_id("user_id", user_id)?.map(UserId),
    })
}

/// Completes, reopens or deletes an activity.
#[server(prefix = "/rpc", endpoint = "change_activity")]
pub async fn change_activity(id: ActivityId, op: String) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::activities;
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    let actor = (&me).into();
    match op.as_str() {
        "complete" => activities::complete(&state.db, actor, id).await.map(|_| ()),
        "reopen" => activities::reopen(&state.db, actor, id).await.map(|_| ()),
        "delete" => activities::delete(&state.db, actor, id).await,
        other => Err(ServiceError::invalid(
            "op",
            crate::i18n::tr_args("act-unknown-operation", &[("op", other.to_string().into())]),
        )),
    }
    .map_err(AppError::from)
}

/// The leaderboard of the signed-in user's account.
#[server(prefix = "/rpc", endpoint = "get_leaderboard")]
pub async fn get_leaderboard() -> Result<Vec<LeaderboardRow>, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::activities::leaderboard(&state.db, me.account_id, chrono::Utc::now())
        .await
        .map_err(AppError::from)
}

/// `/activities`.
#[component]
pub fn ActivitiesPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || (get("user"), get("kind"), get("from"), get("to")),
        |(user, kind, from, to)| list_activities(user, kind, from, to),
    );
    view! {
        <div class="mx-auto max-w-5xl">
            <h1 class="text-xl font-semibold mb-3">{tr("act-heading")}</h1>
            <ErrorBanner testid="activities-error" />
            <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("act-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! {
                            <LoadError message=e.to_string() />
                        }.into_any(),
                        Ok((groups, users, deals)) => view! {
                            <section class="rounded-lg bg-white p-4 shadow-sm mb-4">
                                <h2 class="font-semibold mb-2 text-sm">{tr("act-add-heading")}</h2>
                                <AddActivityForm users=users.clone() deal_id=None deals=deals.clone() />
                            </section>
                            <ActivityFilters users=users.clone() />
                            <ActivityGroupsView groups=groups users=users deals=deals
                                empty=tr("act-empty") />
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The form that adds an activity, for a deal when `deal_id` is given (otherwise one of
/// `deals` may be picked by its title). Assigned to the signed-in user unless another is
/// picked.
#[component]
pub(crate) fn AddActivityForm(
    users: Vec<UserSummary>,
    deal_id: Option<DealId>,
    #[prop(optional)] deals: Vec<Choice>,
) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <RpcForm action=AddActivity::PATH attr:data-testid="activity-form">
            <div class="flex flex-wrap items-end gap-2">
                <label class="text-xs text-slate-600">{tr("act-type")}
                    <select name="kind" class=format!("block {input}")>
                        {KINDS.iter().map(|v| view! { <option value=*v>{kind_label(v)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="text-xs text-slate-600 grow">{tr("act-title")}
                    <input name="title" required maxlength="200" class=format!("block w-full {input}") />
                </label>
                <label class="text-xs text-slate-600">{tr("act-due")}
                    <input name="due_at" type="datetime-local" class=format!("block {input}") />
                </label>
                {match deal_id {
                    Some(id) => view! { <input type="hidden" name="deal_id" value=id.to_string() /> }.into_any(),
                    None => view! { <DealPicker deals=deals current=None /> }.into_any(),
                }}
                <label class="text-xs text-slate-600">{tr("act-assigned-to")}
                    <select name="user_id" class=format!("block {input}")>
                        <option value="">{tr("act-me")}</option>
                        {users.into_iter().map(|u| view! { <option value=u.id.to_string()>{u.name}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white hover:bg-indigo-700 disabled:opacity-60">{tr("act-add")}</button>
            </div>
        </RpcForm>
    }
}

/// The deal an activity is about, picked by title among `deals` (the current one stays
/// offered when the list leaves it out).
#[component]
fn DealPicker(deals: Vec<Choice>, current: Option<(DealId, String)>) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let selected = current.as_ref().map(|(id, _)| id.0);
    let missing = current.filter(|(id, _)| !deals.iter().any(|d| d.id == id.0));
    view! {
        <label class="text-xs text-slate-600">{tr("act-deal")}
            <select name="deal_id" class=format!("block max-w-xs {input}") data-testid="activity-deal">
                <option value="">{tr("act-no-deal")}</option>
                {missing.map(|(id, title)| view! { <option value=id.to_string() selected=true>{title}</option> })}
                {deals.into_iter().map(|d| view! {
                    <option value=d.id.to_string() selected=selected == Some(d.id)>{d.name}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// Activities in their four groups, or `empty` when there are none. With `deals`, an
/// activity's deal can be changed in its edit form.
#[component]
pub(crate) fn ActivityGroupsView(
    groups: ActivityGroups,
    users: Vec<UserSummary>,
    #[prop(into)] empty: String,
    #[prop(optional)] deals: Option<Vec<Choice>>,
) -> impl IntoView {
    if groups.is_empty() {
        return view! { <p class="rounded-lg bg-white p-6 text-center text-slate-500 shadow-sm" data-testid="activities-empty">{empty}</p> }.into_any();
    }
    view! {
        <Group title=tr("act-group-overdue") testid="overdue" items=groups.overdue users=users.clone() deals=deals.clone() />
        <Group title=tr("act-group-today") testid="today" items=groups.today users=users.clone() deals=deals.clone() />
        <Group title=tr("act-group-upcoming") testid="upcoming" items=groups.upcoming users=users.clone() deals=deals.clone() />
        <Group title=tr("act-group-done") testid="done" items=groups.done users=users deals=deals />
    }
    .into_any()
}

#[component]
fn ActivityFilters(users: Vec<UserSummary>) -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let (user, kind) = (get("user"), get("kind"));
    // The activities these filters show, as a spreadsheet.
    let export = format!(
        "/export/activities.csv?{}",
        ["user", "kind", "from", "to"]
            .iter()
            .map(|k| format!("{k}={}", crate::domain::url_encode(&get(k))))
            .collect::<Vec<_>>()
            .join("&")
    );
    view! {
        <form method="get" class="mb-4 flex flex-wrap items-end gap-2" aria-label=tr("act-filters")>
            <label class="text-xs text-slate-600">{tr("act-whose")}
                <select name="user" class=format!("block {input}")>
                    <option value="">{tr("act-mine")}</option>
                    <option value="all" selected=user == "all">{tr("act-everyones")}</option>
                    {users.into_iter().map(|u| {
                        let selected = user == u.id.to_string();
                        view! { <option value=u.id.to_string() selected=selected>{u.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("act-type")}
                <select name="kind" class=format!("block {input}")>
                    <option value="">{tr("act-all-types")}</option>
                    {KINDS.iter().map(|v| view! { <option value=*v selected=kind == *v>{kind_label(v)}</option> }).collect_view()}
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("act-from")}
                <input name="from" type="date" class=format!("block {input}") value=get("from") />
            </label>
            <label class="text-xs text-slate-600">{tr("act-to")}
                <input name="to" type="date" class=format!("block {input}") value=get("to") />
            </label>
            <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">{tr("act-apply")}</button>
            <a href=export download="" data-testid="export-csv"
                class="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:bg-slate-50">{tr("common-export")}</a>
        </form>
    }
}

/// One group of activities (overdue, today, …) with their actions.
#[component]
fn Group(
    title: String,
    testid: &'static str,
    items: Vec<ActivityItem>,
    users: Vec<UserSummary>,
    deals: Option<Vec<Choice>>,
) -> impl IntoView {
    let count = items.len();
    view! {
        <section class="mb-4" data-testid=testid>
            <h2 class="text-sm font-semibold text-slate-700 mb-1">{format!("{title} ({count})")}</h2>
            {if items.is_empty() {
                view! { <p class="text-sm text-slate-600">{tr("act-nothing")}</p> }.into_any()
            } else {
                view! {
                    <ul class="divide-y divide-slate-100 rounded-lg bg-white shadow-sm">
                        {items.into_iter().map(|a| view! { <ActivityRow a=a users=users.clone() deals=deals.clone() /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ActivityRow(
    a: ActivityItem,
    users: Vec<UserSummary>,
    deals: Option<Vec<Choice>>,
) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    // Forms and lists show the due time on the reader's clock.
    let due_value = a.due_local.clone().unwrap_or_default();
    let id = a.id;
    let done = a.done_at.is_some();
    let due = a
        .due_local
        .as_deref()
        .and_then(|d| due_text(d, crate::i18n::current()));
    let title = a.title.clone();
    view! {
        <li class="flex flex-wrap items-center gap-3 px-3 py-2 text-sm" data-activity=id.to_string() data-testid="activity">
            <span class="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{kind_tag(&a.kind)}</span>
            <span class:line-through=done class="font-medium" data-testid="activity-title">{title}</span>
            {a.deal_id.map(|d| view! { <a class="text-indigo-700 underline" href=format!("/deals/{d}") data-testid="activity-deal-title">{a.deal_title.clone().unwrap_or_default()}</a> })}
            {a.user_name.clone().map(|n| view! { <span class="text-slate-500">{n}</span> })}
            <span class="ml-auto text-slate-500">{due.unwrap_or_else(|| tr("act-no-due-date"))}</span>
            <RpcForm action=ChangeActivity::PATH>
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="op" value=if done { "reopen" } else { "complete" } />
                <button type="submit" class="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-50" data-testid="activity-toggle">
                    {if done { tr("act-reopen") } else { tr("act-complete") }}
                </button>
            </RpcForm>
            <RpcForm action=ChangeActivity::PATH confirm=tr("act-delete-confirm")>
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="op" value="delete" />
                <button type="submit" class="rounded px-2 py-0.5 text-red-700 hover:bg-red-50">{tr("common-delete")}</button>
            </RpcForm>
            <details class="w-full">
                <summary class="cursor-pointer text-xs text-slate-500">{tr("common-edit")}</summary>
                <RpcForm action=EditActivity::PATH attr:class="mt-2 flex flex-wrap items-end gap-2" attr:data-testid="activity-edit-form">
                    <input type="hidden" name="id" value=id.to_string() />
                    {match deals {
                        Some(deals) => {
                            let current = a.deal_id.map(|d| (d, a.deal_title.clone().unwrap_or_default()));
                            view! { <DealPicker deals=deals current=current /> }.into_any()
                        }
                        None => view! { <input type="hidden" name="deal_id" value=a.deal_id.map(|d| d.to_string()).unwrap_or_default() /> }.into_any(),
                    }}
                    <label class="text-xs text-slate-600">{tr("act-type")}
                        <select name="kind" class=format!("block {input}")>
                            {KINDS.iter().map(|v| view! { <option value=*v selected=a.kind == *v>{kind_label(v)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="text-xs text-slate-600 grow">{tr("act-title")}
                        <input name="title" required maxlength="200" value=a.title.clone() class=format!("block w-full {input}") />
                    </label>
                    <label class="text-xs text-slate-600">{tr("act-due")}
                        <input name="due_at" type="datetime-local" value=due_value class=format!("block {input}") />
                    </label>
                    <label class="text-xs text-slate-600">{tr("act-assigned-to")}
                        <select name="user_id" class=format!("block {input}")>
                            {users.into_iter().map(|u| view! { <option value=u.id.to_string() selected=a.user_id == Some(u.id)>{u.name}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="text-xs text-slate-600 w-full">{tr("act-description")}
                        <textarea name="description" rows="2" class=format!("block w-full {input}")>{a.description.clone()}</textarea>
                    </label>
                    <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">{tr("common-save")}</button>
                </RpcForm>
            </details>
        </li>
    }
}

/// `/leaderboard`.
#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| get_leaderboard());
    let locale = crate::i18n::current();
    view! {
        <div class="mx-auto max-w-4xl">
            <h1 class="text-xl font-semibold mb-3">{tr("act-lb-heading")}</h1>
            <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("common-loading")}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <LoadError message=e.to_string() /> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="text-slate-500">{tr("act-lb-empty")}</p> }.into_any(),
                        Ok(rows) => view! {
                            <table class="w-full rounded-lg bg-white text-sm shadow-sm" data-testid="leaderboard">
                                <thead class="text-left text-xs text-slate-500">
                                    <tr><th class="p-2">"#"</th><th class="p-2">{tr("act-lb-salesperson")}</th><th class="p-2 text-right">{tr("act-lb-week")}</th>
                                        <th class="p-2 text-right max-sm:hidden">{tr("act-lb-month")}</th><th class="p-2 text-right">{tr("act-lb-all-time")}</th>
                                        <th class="p-2 text-right max-sm:hidden">{tr("act-lb-won-deals")}</th><th class="p-2 text-right">{tr("act-lb-won-value")}</th></tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().enumerate().map(|(i, r)| view! {
                                        <tr class="border-t border-slate-100" data-user=r.user_id.to_string()>
                                            <td class="p-2 text-slate-600">{i + 1}</td>
                                            <td class="p-2 font-medium" data-testid="lb-name">{r.name}</td>
                                            <td class="p-2 text-right" data-testid="lb-week">{r.points_week}</td>
                                            <td class="p-2 text-right max-sm:hidden" data-testid="lb-month">{r.points_month}</td>
                                            <td class="p-2 text-right" data-testid="lb-all">{r.points_all}</td>
                                            <td class="p-2 text-right max-sm:hidden">{r.won_count}</td>
                                            <td class="p-2 text-right" data-testid="lb-won-value" title=(r.won_unconverted > 0).then(|| tr("act-lb-unconverted"))>
                                                {money(r.won_value_cents, &r.currency, locale)}{(r.won_unconverted > 0).then_some(" *")}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

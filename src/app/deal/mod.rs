//! The deal page: fields edited in place, its stage, won / lost / reopen, people, tags, custom attributes,
//! products, quotes, activities, notes and the deal's timeline.

// Server functions take their form's fields one by one, so plain HTML forms post to them.
#![allow(clippy::too_many_arguments)]

mod links;
mod notes;
mod products;
mod quotes;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

use crate::app::error::AppError;
use crate::domain::deal::DealDetail;
use crate::domain::money::{format_cents, format_money};
use crate::domain::{DealId, StageId};

use super::activities::{ActivityGroupsView, AddActivityForm};
use super::feedback::{ErrorBanner, RpcForm};
use links::{AttributesPanel, PeoplePanel, TagsPanel, TeamPanel};
use notes::TimelinePanel;
use products::ProductsPanel;
use quotes::QuotesPanel;

/// The deal page's data.
#[server(prefix = "/rpc", endpoint = "get_deal_detail")]
pub async fn get_deal_detail(id: DealId) -> Result<DealDetail, AppError> {
    use super::server_ctx::signed_in;
    let (state, user) = signed_in().await?;
    crate::server::services::deals::page::load(&state.db, (&user).into(), id)
        .await
        .map_err(AppError::from)
}

/// Saves the deal's fields.
#[server(prefix = "/rpc", endpoint = "save_deal")]
pub async fn save_deal(
    id: DealId,
    title: String,
    value: String,
    currency: String,
    #[server(default)] expected_close_date: String,
    #[server(default)] responsible_user_id: String,
    #[server(default)] organization_id: String,
    #[server(default)] lead_source_id: String,
    #[server(default)] quality_rating: String,
    #[server(default)] quality_reason: String,
    #[server(default)] visibility: String,
    #[server(default)] temperature: String,
) -> Result<(), AppError> {
    use super::server_ctx::{form_id, signed_in};
    use crate::domain::UserId;
    use crate::server::services::deals::edit::{update_deal, DealEdit};
    let (state, user) = signed_in().await?;
    // The primary person is changed from the people panel; this form keeps it.
    let edit = DealEdit {
        title,
        value,
        currency,
        expected_close_date,
        responsible_user_id: form_id("responsible_user_id", &responsible_user_id)?.map(UserId),
        organization_id: form_id("organization_id", &organization_id)?,
        lead_source_id: form_id("lead_source_id", &lead_source_id)?,
        quality_rating: form_id("quality_rating", &quality_rating)?,
        quality_reason,
        visibility: form_id("visibility", &visibility)?.unwrap_or(2),
        temperature: form_id("temperature", &temperature)?,
    };
    update_deal(&state.db, (&user).into(), id, &edit)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Marks the deal won with a final value (the deal's value when empty) and notes.
#[server(prefix = "/rpc", endpoint = "mark_deal_won")]
pub async fn mark_deal_won(
    id: DealId,
    #[server(default)] final_value: String,
    #[server(default)] close_notes: String,
) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::domain::money::parse_amount;
    use crate::server::ServiceError;
    let (state, user) = signed_in().await?;
    let final_value = match final_value.trim() {
        "" => None,
        v => Some(parse_amount(v).map_err(|m| ServiceError::invalid("final_value", m))?),
    };
    crate::server::services::deals::closing::mark_won(
        &state.db,
        (&user).into(),
        id,
        final_value,
        &close_notes,
    )
    .await
    .map(|_| ())
    .map_err(AppError::from)
}

/// Marks the deal lost; a typed reason wins over the one picked from the list.
#[server(prefix = "/rpc", endpoint = "mark_deal_lost")]
pub async fn mark_deal_lost(
    id: DealId,
    #[server(default)] reason: String,
    #[server(default)] other_reason: String,
) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, user) = signed_in().await?;
    let reason = if other_reason.trim().is_empty() {
        reason
    } else {
        other_reason
    };
    crate::server::services::deals::closing::mark_lost(&state.db, (&user).into(), id, &reason)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Reopens a won or lost deal.
#[server(prefix = "/rpc", endpoint = "reopen_deal")]
pub async fn reopen_deal(id: DealId) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, user) = signed_in().await?;
    crate::server::services::deals::closing::reopen(&state.db, (&user).into(), id)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Moves the deal to a stage (to the end of its column), as a drag on the board does; nothing
/// moves when it is there already.
#[server(prefix = "/rpc", endpoint = "change_deal_stage")]
pub async fn change_deal_stage(id: DealId, stage_id: StageId) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::deals::{self, Slot};
    let (state, user) = signed_in().await?;
    let actor = (&user).into();
    let deal = deals::get_deal(&state.db, actor, id).await?;
    if deal.stage_id == stage_id {
        return Ok(());
    }
    deals::move_deal(&state.db, actor, id, stage_id, Slot::End)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// `/deals/:id`.
#[component]
pub fn DealPage() -> impl IntoView {
    let params = use_params_map();
    let id = DealId(
        params
            .read_untracked()
            .get("id")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
    );
    let deal = Resource::new(move || id, get_deal_detail);
    view! {
        <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">"Loading the deal…"</p> }>
            {move || Suspend::new(async move {
                match deal.await {
                    Err(e) => view! {
                        <div role="alert" class="m-6 rounded-md border border-red-200 bg-red-50 p-4 text-red-800">
                            <p class="font-medium">"This deal could not be loaded."</p>
                            <p class="text-sm">{e.to_string()}</p>
                            <a href="/" class="mt-2 inline-block text-sm underline">"Back to the pipeline"</a>
                        </div>
                    }.into_any(),
                    Ok(d) => view! { <DealView d=d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DealView(d: DealDetail) -> impl IntoView {
    let panel = d.clone();
    let users = d.choices.users.clone();
    let input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
    let label = "block text-xs font-medium text-slate-600";
    let status_badge = match d.status.as_str() {
        "won" => "bg-emerald-700",
        "lost" => "bg-red-600",
        _ => "bg-indigo-600",
    };
    let open = d.status == "open";
    let worth = format_money(d.worth_cents(), &d.currency);
    let deal_id = d.id;
    let pick = |current: Option<i64>, options: &[(i64, &'static str)]| {
        options
            .iter()
            .map(|(v, name)| view! { <option value=v.to_string() selected=current == Some(*v)>{*name}</option> })
            .collect_view()
    };
    let outcome = if open {
        view! {
                            <RpcForm action=MarkDealWon::PATH attr:data-testid="won-form">
                                <input type="hidden" name="id" value=deal_id.to_string() />
                                <label class=label>"Final value"
                                    <input name="final_value" inputmode="decimal" class=input placeholder=format_cents(d.value_cents) />
                                </label>
                                <label class=format!("{label} mt-2")>"Close notes"
                                    <textarea name="close_notes" rows="2" class=input></textarea>
                                </label>
                                <button type="submit" class="mt-2 rounded-md bg-emerald-700 px-3 py-1.5 text-sm text-white hover:bg-emerald-800">"Mark won"</button>
                            </RpcForm>
                            <RpcForm action=MarkDealLost::PATH attr:data-testid="lost-form">
                                <input type="hidden" name="id" value=deal_id.to_string() />
                                <label class=label>"Lost reason"
                                    <select name="reason" class=input>
                                        <option value="">"Choose a reason"</option>
                                        {d.choices.lost_reasons.iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class=format!("{label} mt-2")>"Or in your words"
                                    <input name="other_reason" class=input maxlength="255" />
                                </label>
                                <button type="submit" class="mt-2 rounded-md bg-red-600 px-3 py-1.5 text-sm text-white hover:bg-red-700">"Mark lost"</button>
                            </RpcForm>
                        }.into_any()
    } else {
        let summary = if d.status == "won" {
            format!(
                "Won on {} for {}.",
                d.won_at
                    .clone()
                    .unwrap_or_default()
                    .get(..10)
                    .unwrap_or_default(),
                format_money(d.worth_cents(), &d.currency)
            )
        } else {
            format!(
                "Lost on {}: {}",
                d.lost_at
                    .clone()
                    .unwrap_or_default()
                    .get(..10)
                    .unwrap_or_default(),
                d.lost_reason
            )
        };
        view! {
                            <p class="text-sm text-slate-700" data-testid="outcome">{summary}</p>
                            {d.close_notes.clone().filter(|n| !n.is_empty()).map(|n| view! { <p class="text-sm text-slate-600">{n}</p> })}
                            <RpcForm action=ReopenDeal::PATH>
                                <input type="hidden" name="id" value=deal_id.to_string() />
                                <button type="submit" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">"Reopen"</button>
                            </RpcForm>
                        }.into_any()
    };
    view! {
        <div class="mx-auto max-w-6xl">
            <div class="mb-2 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
                <nav class="text-slate-600">
                    <a class="underline" href=format!("/pipelines/{}", d.pipeline_id)>{d.pipeline_name.clone()}</a>
                    " / " <span data-testid="deal-stage">{d.stage_name.clone()}</span>
                </nav>
                <RpcForm action=ChangeDealStage::PATH done="Stage changed." attr:data-testid="stage-form" attr:class="flex items-center gap-2">
                    <input type="hidden" name="id" value=deal_id.to_string() />
                    <label class="text-slate-600" for="deal-stage-select">"Stage"</label>
                    <select id="deal-stage-select" name="stage_id" class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
                        {d.choices.stages.iter().map(|s| view! {
                            <option value=s.id.to_string() selected=s.id == i64::from(d.stage_id)>{s.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" data-busy-label="Moving…"
                        class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-50 disabled:opacity-60">"Move"</button>
                </RpcForm>
            </div>
            <div class="flex flex-wrap items-center gap-3 mb-4">
                <h1 class="text-2xl font-semibold" data-testid="deal-title">{d.title.clone()}</h1>
                <span class=format!("rounded px-2 py-0.5 text-xs uppercase text-white {status_badge}") data-testid="deal-status">{d.status.clone()}</span>
                <span class="text-slate-600 text-sm">{format!("#{}", d.code)}</span>
                <span class="ml-auto text-xl font-semibold" data-testid="deal-value">{worth}</span>
            </div>
            <ErrorBanner testid="deal-error" />
            <div class="grid gap-4 lg:grid-cols-3">
                <div class="lg:col-span-2 space-y-4">
                <section class="rounded-lg bg-white p-4 shadow-sm">
                    <h2 class="font-semibold mb-3">"Details"</h2>
                    <RpcForm action=SaveDeal::PATH done="Saved." attr:data-testid="deal-form">
                        <input type="hidden" name="id" value=deal_id.to_string() />
                        <div class="grid gap-3 sm:grid-cols-2">
                            <label class=format!("{label} sm:col-span-2")>"Title"
                                <input name="title" required maxlength="150" class=input value=d.title.clone() />
                            </label>
                            <label class=label>"Value"
                                <input name="value" inputmode="decimal" class=input value=format_cents(d.value_cents).replace(',', "") />
                            </label>
                            <label class=label>"Currency"
                                <input name="currency" maxlength="3" class=format!("{input} uppercase") value=d.currency.clone() />
                            </label>
                            <label class=label>"Expected close"
                                <input name="expected_close_date" type="date" class=input value=d.expected_close_date.clone().unwrap_or_default() />
                            </label>
                            <label class=label>"Responsible"
                                <select name="responsible_user_id" class=input>
                                    <option value="">"Nobody"</option>
                                    {d.choices.users.iter().map(|u| view! {
                                        <option value=u.id.to_string() selected=d.responsible_user_id == Some(u.id)>{u.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class=label>"Organization"
                                <select name="organization_id" class=input>
                                    <option value="">"None"</option>
                                    {d.choices.organizations.iter().map(|o| view! {
                                        <option value=o.id.to_string() selected=d.organization_id.map(i64::from) == Some(o.id)>{o.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class=label>"Lead source"
                                <select name="lead_source_id" class=input>
                                    <option value="">"Unknown"</option>
                                    {d.choices.lead_sources.iter().map(|o| view! {
                                        <option value=o.id.to_string() selected=d.lead_source_id == Some(o.id)>{o.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class=label>"Temperature"
                                <select name="temperature" class=input>
                                    <option value="">"Not set"</option>
                                    {pick(d.temperature, &[(1, "Cold"), (2, "Warm"), (3, "Hot")])}
                                </select>
                            </label>
                            <label class=label>"Visibility"
                                <select name="visibility" class=input>
                                    {pick(Some(d.visibility), &[(0, "Owner only"), (1, "Owner's team"), (2, "Everyone")])}
                                </select>
                            </label>
                            <label class=label>"Quality rating"
                                <select name="quality_rating" class=input>
                                    <option value="">"Not rated"</option>
                                    {pick(d.quality_rating, &[(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")])}
                                </select>
                            </label>
                            <label class=label>"Quality reason"
                                <input name="quality_reason" class=input value=d.quality_reason.clone().unwrap_or_default() />
                            </label>
                        </div>
                        <button type="submit" data-busy-label="Saving…"
                            class="mt-4 rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60">"Save"</button>
                    </RpcForm>
                    {(!d.marketing.is_empty()).then(|| view! {
                        <h3 class="mt-6 mb-1 text-sm font-semibold text-slate-700">"Marketing"</h3>
                        <dl class="grid grid-cols-2 gap-x-4 text-sm">
                            {d.marketing.iter().map(|(k, v)| view! { <dt class="text-slate-500">{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
                        </dl>
                    })}
                </section>
                    <ProductsPanel d=panel.clone() />
                    <QuotesPanel d=panel.clone() />
                    <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="deal-activities">
                        <h2 class="font-semibold mb-2">"Activities"</h2>
                        <AddActivityForm users=users.clone() deal_id=Some(deal_id) />
                        <div class="mt-3">
                            <ActivityGroupsView groups=panel.activities.clone()
                                users=users.clone() empty="No activities planned for this deal." />
                        </div>
                    </section>
                    <TimelinePanel deal_id=deal_id pinned=panel.pinned_notes.clone() timeline=panel.timeline.clone() />
                </div>
                <div class="space-y-4">
                    <section class="rounded-lg bg-white p-4 shadow-sm space-y-4">
                        <h2 class="font-semibold">"Outcome"</h2>
                        {outcome}
                    </section>
                    <PeoplePanel d=panel.clone() />
                    <TeamPanel d=panel.clone() me=panel.viewer_id />
                    <TagsPanel d=panel.clone() />
                    <AttributesPanel d=panel.clone() />
                </div>
            </div>
        </div>
    }
}

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
use crate::domain::money::format_cents;
use crate::domain::{DealId, StageId};
use crate::i18n::format::{date, money};
use crate::i18n::{tr, tr_args};

use super::activities::{ActivityGroupsView, AddActivityForm};
use super::feedback::{ErrorBanner, RpcForm};
use links::{AttributesPanel, PeoplePanel, TagsPanel, TeamPanel};

/// Ids of the deal page's regions that a change redraws in place (`RpcForm`'s `refresh`);
/// none of them holds an island.
mod region {
    pub const NOTES: &str = "deal-notes";
    pub const PRODUCTS: &str = "deal-products";
    pub const SIDE: &str = "deal-side";
    /// A change to the deal's people, team, tags or fields: the side column and the timeline.
    pub const LINKS: &[&str] = &[SIDE, NOTES];
    /// A change to the product lines: their table and the timeline.
    pub const LINES: &[&str] = &[PRODUCTS, NOTES];
}
use notes::TimelinePanel;
use products::ProductsPanel;
use quotes::QuotesPanel;

/// The deal page's data.
#[server(prefix = "/rpc", endpoint = "get_deal_detail")]
pub async fn get_deal_detail(id: DealId) -> Result<DealDetail, AppError> {
    use super::server_ctx::signed_in;
    let (state, user) = signed_in().await?;
    let zone = crate::server::time_zone::of(&user);
    crate::server::services::deals::page::load_for(
        &state.db,
        (&user).into(),
        id,
        zone,
        crate::i18n::current(),
    )
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

/// A sentence with one link in it: message `id` puts the link, whose text is message
/// `link_id`, where it says `{ $link }` (a sentence without it is followed by the link).
#[component]
fn LinkedSentence(id: &'static str, link_id: &'static str, href: &'static str) -> impl IntoView {
    /// A private-use character no translation contains, standing for the link while the
    /// sentence is formatted.
    const MARK: &str = "\u{E000}";
    let sentence = tr_args(id, &[("link", MARK.into())]);
    let (before, after) = match sentence.split_once(MARK) {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (format!("{sentence} "), String::new()),
    };
    view! { {before}<a class="underline" href=href>{tr(link_id)}</a>{after} }
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
        <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("deal-loading")}</p> }>
            {move || Suspend::new(async move {
                match deal.await {
                    Err(e) => view! {
                        <div role="alert" class="m-6 rounded-md border border-red-200 bg-red-50 p-4 text-red-800">
                            <p class="font-medium">{tr("deal-load-failed")}</p>
                            <p class="text-sm">{e.to_string()}</p>
                            <a href="/" class="mt-2 inline-block text-sm underline">{tr("deal-back-to-pipeline")}</a>
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
    let status_text = match d.status.as_str() {
        "won" => tr("deal-status-won"),
        "lost" => tr("deal-status-lost"),
        "open" => tr("deal-status-open"),
        other => other.to_string(),
    };
    let locale = crate::i18n::current();
    let open = d.status == "open";
    let worth = money(d.worth_cents(), &d.currency, locale);
    let deal_id = d.id;
    let pick = |current: Option<i64>, options: Vec<(i64, String)>| {
        options
            .into_iter()
            .map(|(v, name)| view! { <option value=v.to_string() selected=current == Some(v)>{name}</option> })
            .collect_view()
    };
    let popover = "absolute right-0 z-30 mt-2 w-72 rounded-lg bg-white p-3 text-left text-slate-900 shadow-lg ring-1 ring-slate-200";
    let outcome = if open {
        view! {
                        <details class="relative" data-testid="won-toggle">
                            <summary class="cursor-pointer list-none rounded-md bg-emerald-700 px-3 py-1 text-sm font-medium text-white hover:bg-emerald-800">{tr("deal-won-button")}</summary>
                            <div class=popover>
                            <RpcForm action=MarkDealWon::PATH attr:data-testid="won-form">
                                <input type="hidden" name="id" value=deal_id.to_string() />
                                <label class=label>{tr("deal-final-value")}
                                    <input name="final_value" inputmode="decimal" class=input placeholder=format_cents(d.value_cents) />
                                </label>
                                <label class=format!("{label} mt-2")>{tr("deal-close-notes")}
                                    <textarea name="close_notes" rows="2" class=input></textarea>
                                </label>
                                <button type="submit" class="mt-2 rounded-md bg-emerald-700 px-3 py-1.5 text-sm text-white hover:bg-emerald-800">{tr("deal-mark-won")}</button>
                            </RpcForm>
                            </div>
                        </details>
                        <details class="relative" data-testid="lost-toggle">
                            <summary class="cursor-pointer list-none rounded-md bg-red-700 px-3 py-1 text-sm font-medium text-white hover:bg-red-800">{tr("deal-lost-button")}</summary>
                            <div class=popover>
                            <RpcForm action=MarkDealLost::PATH attr:data-testid="lost-form">
                                <input type="hidden" name="id" value=deal_id.to_string() />
                                <label class=label>{tr("deal-lost-reason")}
                                    <select name="reason" class=input>
                                        <option value="">{tr("deal-choose-reason")}</option>
                                        {d.choices.lost_reasons.iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class=format!("{label} mt-2")>{tr("deal-other-reason")}
                                    <input name="other_reason" class=input maxlength="255" />
                                </label>
                                <button type="submit" class="mt-2 rounded-md bg-red-700 px-3 py-1.5 text-sm text-white hover:bg-red-800">{tr("deal-mark-lost")}</button>
                            </RpcForm>
                            </div>
                        </details>
                        }.into_any()
    } else {
        let on = |at: &Option<String>| date(at.as_deref().unwrap_or_default(), locale);
        let summary = if d.status == "won" {
            tr_args(
                "deal-won-on",
                &[
                    ("date", on(&d.won_at).into()),
                    ("value", worth.clone().into()),
                ],
            )
        } else {
            tr_args(
                "deal-lost-on",
                &[
                    ("date", on(&d.lost_at).into()),
                    ("reason", d.lost_reason.clone().into()),
                ],
            )
        };
        view! {
                            <RpcForm action=ReopenDeal::PATH>
                                <input type="hidden" name="id" value=deal_id.to_string() />
                                <button type="submit" class="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-50">{tr("deal-reopen")}</button>
                            </RpcForm>
                            <div class="basis-full text-sm text-slate-700">
                                <p data-testid="outcome">{summary}</p>
                                {d.close_notes.clone().filter(|n| !n.is_empty()).map(|n| view! { <p class="text-slate-600">{n}</p> })}
                            </div>
                        }.into_any()
    };
    let elsewhere = d.choices.pipelines.clone();
    let current = d
        .choices
        .stages
        .iter()
        .position(|s| s.id == i64::from(d.stage_id));
    let stage_bar = d.choices.stages.iter().enumerate().map(|(i, s)| {
        let here = Some(i) == current;
        let tone = match current {
            Some(c) if i < c => "bg-indigo-100 text-indigo-900 hover:bg-indigo-200",
            _ if here => "bg-indigo-700 text-white",
            _ => "bg-slate-200 text-slate-700 hover:bg-slate-300",
        };
        let (name, stage_id) = (s.name.clone(), s.id.to_string());
        view! {
            <li class="min-w-24 flex-1">
                <RpcForm action=ChangeDealStage::PATH done=tr("deal-stage-changed")>
                    <input type="hidden" name="id" value=deal_id.to_string() />
                    <input type="hidden" name="stage_id" value=stage_id />
                    <button type="submit" disabled={here || !open} aria-current=here.then_some("step")
                        title=tr_args("deal-stage-move-to", &[("stage", name.clone().into())])
                        class=format!("block w-full truncate px-2 py-1 text-xs font-medium disabled:cursor-default {tone}")
                        data-testid="stage-step">{name.clone()}</button>
                </RpcForm>
            </li>
        }
    }).collect_view();
    view! {
        <div class="mx-auto max-w-6xl">
            <ol class="mb-3 flex gap-0.5 overflow-x-auto rounded-md" aria-label=tr("deal-stage-bar") data-testid="stage-bar">
                {stage_bar}
            </ol>
            <div class="mb-2 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
                <nav class="text-slate-600">
                    <a class="underline" href=format!("/pipelines/{}", d.pipeline_id)>{d.pipeline_name.clone()}</a>
                    " / " <span data-testid="deal-stage">{d.stage_name.clone()}</span>
                </nav>
                <RpcForm action=ChangeDealStage::PATH done=tr("deal-stage-changed") attr:data-testid="stage-form" attr:class="flex items-center gap-2">
                    <input type="hidden" name="id" value=deal_id.to_string() />
                    <label class="text-slate-600" for="deal-stage-select">{tr("deal-stage")}</label>
                    <select id="deal-stage-select" name="stage_id" class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
                        {d.choices.stages.iter().map(|s| view! {
                            <option value=s.id.to_string() selected=s.id == i64::from(d.stage_id)>{s.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" data-busy-label=tr("deal-stage-moving")
                        class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-50 disabled:opacity-60">{tr("deal-stage-move")}</button>
                </RpcForm>
                {(!elsewhere.is_empty()).then(|| view! {
                    <details class="relative" data-testid="pipeline-move">
                        <summary class="cursor-pointer list-none text-indigo-700 hover:underline">{tr("deal-move-pipeline")}</summary>
                        <div class="absolute left-0 z-30 mt-2 w-72 rounded-lg bg-white p-3 shadow-lg ring-1 ring-slate-200">
                            <RpcForm action=ChangeDealStage::PATH done=tr("deal-stage-changed") attr:class="flex flex-wrap items-center gap-2">
                                <input type="hidden" name="id" value=deal_id.to_string() />
                                <select name="stage_id" aria-label=tr("deal-move-pipeline") required
                                    class="min-w-0 grow rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
                                    {elsewhere.into_iter().map(|p| view! {
                                        <optgroup label=p.name>
                                            {p.stages.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name}</option> }).collect_view()}
                                        </optgroup>
                                    }).collect_view()}
                                </select>
                                <button type="submit" data-busy-label=tr("deal-stage-moving")
                                    class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-50 disabled:opacity-60">{tr("deal-stage-move")}</button>
                            </RpcForm>
                        </div>
                    </details>
                })}
            </div>
            <div class="flex flex-wrap items-center gap-3 mb-4">
                <h1 class="text-2xl font-semibold" data-testid="deal-title">{d.title.clone()}</h1>
                <span class=format!("rounded px-2 py-0.5 text-xs uppercase text-white {status_badge}") data-testid="deal-status">{status_text}</span>
                <span class="text-slate-600 text-sm">{format!("#{}", d.code)}</span>
                <span class="ml-auto text-xl font-semibold" data-testid="deal-value">{worth}</span>
                <div class="flex flex-wrap items-center gap-2" data-testid="deal-outcome">{outcome}</div>
            </div>
            <ErrorBanner testid="deal-error" />
            // `min-w-0`: a column is as wide as the screen, never as wide as its widest form.
            <div class="grid gap-4 lg:grid-cols-3">
                <div class="min-w-0 space-y-4 lg:col-span-2">
                <section class="rounded-lg bg-white p-4 shadow-sm">
                    <h2 class="font-semibold mb-3">{tr("deal-details")}</h2>
                    <RpcForm action=SaveDeal::PATH done=tr("deal-saved") attr:data-testid="deal-form">
                        <input type="hidden" name="id" value=deal_id.to_string() />
                        <div class="grid gap-3 sm:grid-cols-2">
                            <label class=format!("{label} sm:col-span-2")>{tr("deal-title")}
                                <input name="title" required maxlength="150" class=input value=d.title.clone() />
                            </label>
                            <label class=label>{tr("deal-value")}
                                <input name="value" inputmode="decimal" class=input value=format_cents(d.value_cents).replace(',', "") />
                            </label>
                            <label class=label>{tr("deal-currency")}
                                <input name="currency" maxlength="3" class=format!("{input} uppercase") value=d.currency.clone() />
                            </label>
                            <label class=label>{tr("deal-expected-close")}
                                <input name="expected_close_date" type="date" class=input value=d.expected_close_date.clone().unwrap_or_default() />
                            </label>
                            <label class=label>{tr("deal-responsible")}
                                <select name="responsible_user_id" class=input>
                                    <option value="">{tr("deal-nobody")}</option>
                                    {d.choices.users.iter().map(|u| view! {
                                        <option value=u.id.to_string() selected=d.responsible_user_id == Some(u.id)>{u.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class=label>{tr("deal-organization")}
                                <select name="organization_id" class=input>
                                    <option value="">{tr("deal-no-organization")}</option>
                                    {d.choices.organizations.iter().map(|o| view! {
                                        <option value=o.id.to_string() selected=d.organization_id.map(i64::from) == Some(o.id)>{o.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class=label>{tr("deal-lead-source")}
                                <select name="lead_source_id" class=input>
                                    <option value="">{tr("deal-lead-source-unknown")}</option>
                                    {d.choices.lead_sources.iter().map(|o| view! {
                                        <option value=o.id.to_string() selected=d.lead_source_id == Some(o.id)>{o.name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class=label>{tr("deal-temperature")}
                                <select name="temperature" class=input>
                                    <option value="">{tr("deal-temperature-not-set")}</option>
                                    {pick(d.temperature, vec![
                                        (1, tr("deal-temperature-cold")),
                                        (2, tr("deal-temperature-warm")),
                                        (3, tr("deal-temperature-hot")),
                                    ])}
                                </select>
                            </label>
                            <label class=label>{tr("deal-visibility")}
                                <select name="visibility" class=input>
                                    {pick(Some(d.visibility), vec![
                                        (0, tr("deal-visibility-owner")),
                                        (1, tr("deal-visibility-team")),
                                        (2, tr("deal-visibility-everyone")),
                                    ])}
                                </select>
                            </label>
                            <label class=label>{tr("deal-quality-rating")}
                                <select name="quality_rating" class=input>
                                    <option value="">{tr("deal-not-rated")}</option>
                                    {pick(d.quality_rating, (1..=5).map(|n| (n, n.to_string())).collect())}
                                </select>
                            </label>
                            <label class=label>{tr("deal-quality-reason")}
                                <input name="quality_reason" class=input value=d.quality_reason.clone().unwrap_or_default() />
                            </label>
                        </div>
                        <button type="submit" data-busy-label=tr("deal-saving")
                            class="mt-4 rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60">{tr("deal-save")}</button>
                    </RpcForm>
                    {(!d.marketing.is_empty()).then(|| view! {
                        <h3 class="mt-6 mb-1 text-sm font-semibold text-slate-700">{tr("deal-marketing")}</h3>
                        <dl class="grid grid-cols-2 gap-x-4 text-sm">
                            {d.marketing.iter().map(|(k, v)| view! { <dt class="text-slate-500">{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
                        </dl>
                    })}
                </section>
                    <ProductsPanel d=panel.clone() />
                    <QuotesPanel d=panel.clone() />
                    <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="deal-activities">
                        <h2 class="font-semibold mb-2">{tr("deal-activities")}</h2>
                        <AddActivityForm users=users.clone() deal_id=Some(deal_id) />
                        <div class="mt-3">
                            <ActivityGroupsView groups=panel.activities.clone()
                                users=users.clone() empty=tr("deal-no-activities") />
                        </div>
                    </section>
                    <TimelinePanel deal_id=deal_id pinned=panel.pinned_notes.clone() timeline=panel.timeline.clone() />
                </div>
                <div id=region::SIDE class="min-w-0 space-y-4">
                    <PeoplePanel d=panel.clone() />
                    <TeamPanel d=panel.clone() me=panel.viewer_id />
                    <TagsPanel d=panel.clone() />
                    <AttributesPanel d=panel.clone() />
                </div>
            </div>
        </div>
    }
}

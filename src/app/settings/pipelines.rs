//! Settings → pipelines and their stages: add, rename and delete (empty) pipelines; add, edit,
//! reorder (drag or the arrow buttons) and delete stages, moving their deals elsewhere first.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

use crate::app::error::AppError;
use crate::app::feedback::{ErrorBanner, RpcForm};
use crate::domain::probability::{LearnedShare, ProbabilitySource, MIN_CLOSED_DEALS};
use crate::domain::{PipelineId, StageId};
use crate::i18n::{tr, tr_args};

/// A stage as the settings list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    pub id: StageId,
    pub key: String,
    pub name: String,
    pub probability: i64,
    pub rotting_days: Option<i64>,
    /// Deals of any status in the stage.
    pub deals: i64,
    /// What the pipeline's closed deals say of the stage.
    pub learned: LearnedShare,
    /// Whether the learned figure is the one in use.
    pub learned_in_use: bool,
}

/// A pipeline with its stages, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineRow {
    pub id: PipelineId,
    pub name: String,
    pub is_primary: bool,
    pub probability_source: ProbabilitySource,
    pub stages: Vec<StageRow>,
}

/// The account's pipelines and stages with deal counts.
#[server(prefix = "/rpc", endpoint = "pipeline_settings")]
pub async fn pipeline_settings() -> Result<Vec<PipelineRow>, AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::pipelines::{self, probabilities};
    let (state, me) = signed_in().await?;
    let counts = pipelines::stage_deal_counts(&state.db, me.account_id).await?;
    let mut rows = Vec::new();
    for p in pipelines::list_pipelines(&state.db, me.account_id).await? {
        let stages = pipelines::stages_of(&state.db, me.account_id, p.id).await?;
        let figures =
            probabilities::of_stages(&state.db, me.account_id, p.id, &stages, true).await?;
        let stages = stages
            .into_iter()
            .zip(figures.stages)
            .map(|(s, f)| StageRow {
                deals: counts.get(&s.id).copied().unwrap_or(0),
                learned: f.learned,
                learned_in_use: f.learned_in_use.is_some(),
                id: s.id,
                key: s.key,
                name: s.name,
                probability: s.probability,
                rotting_days: s.rotting_days,
            })
            .collect();
        rows.push(PipelineRow {
            probability_source: figures.source,
            id: p.id,
            name: p.name,
            is_primary: p.is_primary,
            stages,
        });
    }
    Ok(rows)
}

/// Adds a pipeline (no `pipeline_id`) or renames one.
#[server(prefix = "/rpc", endpoint = "save_pipeline")]
pub async fn save_pipeline(
    #[server(default)] pipeline_id: String,
    name: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::{form_id, signed_in};
    use crate::server::services::pipelines::settings::{add_pipeline, rename_pipeline};
    let (state, me) = signed_in().await?;
    match form_id("pipeline_id", &pipeline_id)?.map(PipelineId) {
        None => add_pipeline(&state.db, &me, &name).await.map(|_| ()),
        Some(id) => rename_pipeline(&state.db, &me, id, &name).await,
    }
    .map_err(AppError::from)
}

/// Sets where a pipeline takes its stages' probabilities from (`configured` or `learned`).
#[server(prefix = "/rpc", endpoint = "save_probability_source")]
pub async fn save_probability_source(
    pipeline_id: PipelineId,
    #[server(default)] source: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::pipelines::probabilities;
    let (state, me) = signed_in().await?;
    let source = probabilities::parse_source(&source)?;
    probabilities::set_source(&state.db, &me, pipeline_id, source)
        .await
        .map_err(AppError::from)
}

/// Deletes a pipeline that is not the primary one and holds no deals.
#[server(prefix = "/rpc", endpoint = "delete_pipeline")]
pub async fn delete_pipeline(pipeline_id: PipelineId) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::pipelines::settings::delete_pipeline(&state.db, &me, pipeline_id)
        .await
        .map_err(AppError::from)
}

/// Adds a stage to a pipeline (no `stage_id`) or changes one.
#[server(prefix = "/rpc", endpoint = "save_stage")]
pub async fn save_stage(
    #[server(default)] pipeline_id: String,
    #[server(default)] stage_id: String,
    name: String,
    #[server(default)] key: String,
    #[server(default)] probability: String,
    #[server(default)] rotting_days: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::{form_id, signed_in};
    use crate::server::services::pipelines::settings::{add_stage, update_stage, StageInput};
    let (state, me) = signed_in().await?;
    let input = StageInput {
        name,
        key,
        probability: form_id("probability", &probability)?.unwrap_or(0),
        rotting_days: form_id("rotting_days", &rotting_days)?,
    };
    match form_id("stage_id", &stage_id)?.map(StageId) {
        Some(id) => update_stage(&state.db, &me, id, &input).await,
        None => {
            let pipeline = form_id("pipeline_id", &pipeline_id)?
                .map(PipelineId)
                .ok_or_else(|| crate::server::ServiceError::NotFound("pipeline"))?;
            add_stage(&state.db, &me, pipeline, &input)
                .await
                .map(|_| ())
        }
    }
    .map_err(AppError::from)
}

/// Moves a stage to a 0-based position of its pipeline.
#[server(prefix = "/rpc", endpoint = "move_stage")]
pub async fn move_stage(stage_id: StageId, index: i64) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::pipelines::settings::move_stage(&state.db, &me, stage_id, index)
        .await
        .map_err(AppError::from)
}

/// Deletes a stage, moving its deals to `move_to` when it has any.
#[server(prefix = "/rpc", endpoint = "delete_stage")]
pub async fn delete_stage(
    stage_id: StageId,
    #[server(default)] move_to: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::{form_id, signed_in};
    let (state, me) = signed_in().await?;
    let move_to = form_id("move_to", &move_to)?.map(StageId);
    crate::server::services::pipelines::settings::delete_stage(&state.db, &me, stage_id, move_to)
        .await
        .map_err(AppError::from)
}

/// The pipelines section of `/settings`.
#[component]
pub fn PipelineSettings(can: bool) -> impl IntoView {
    let data = Resource::new(|| (), |_| pipeline_settings());
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <section id=super::section::PIPELINES class=super::SECTION data-testid="pipeline-settings">
            <h2 class="font-semibold mb-2">{tr("set-pipelines")}</h2>
            <ErrorBanner testid="pipelines-error" />
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">{tr("set-pipelines-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok(pipelines) => view! {
                            <div class="space-y-5">
                                {pipelines.into_iter().map(|p| view! {
                                    <PipelineBlock p=p can=can />
                                }).collect_view()}
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <RpcForm action=SavePipeline::PATH attr:class="mt-4 flex gap-2" attr:data-testid="add-pipeline">
                <input name="name" required maxlength="100" placeholder=tr("set-new-pipeline") aria-label=tr("set-new-pipeline-name") class=input disabled=!can />
                <button type="submit" disabled=!can class="rounded-md bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-40">{tr("set-add-pipeline")}</button>
            </RpcForm>
        </section>
    }
}

/// One pipeline: its name form and its stages.
#[component]
fn PipelineBlock(p: PipelineRow, can: bool) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let last = p.stages.len().saturating_sub(1);
    let only_one = p.stages.len() == 1;
    let has_deals = p.stages.iter().any(|s| s.deals > 0);
    let others: Vec<(StageId, String)> = p.stages.iter().map(|s| (s.id, s.name.clone())).collect();
    view! {
        <div class="rounded-md border border-slate-200 p-3" data-testid="pipeline" data-pipeline-id=p.id.to_string()>
            <RpcForm action=SavePipeline::PATH attr:class="flex items-center gap-2 mb-2">
                <input type="hidden" name="pipeline_id" value=p.id.to_string() />
                <input name="name" required maxlength="100" value=p.name.clone() aria-label=tr("set-pipeline-name") class=format!("font-medium {input}") disabled=!can />
                {p.is_primary.then(|| view! { <span class="rounded bg-indigo-50 px-1.5 text-xs text-indigo-700">{tr("set-primary")}</span> })}
                <button type="submit" disabled=!can class="text-sm text-indigo-700 hover:underline disabled:opacity-40">{tr("set-rename")}</button>
            </RpcForm>
            {(!p.is_primary).then(|| {
                view! {
                    <RpcForm action=DeletePipeline::PATH attr:class="mb-2" attr:data-confirm=tr("set-delete-pipeline-confirm")>
                        <input type="hidden" name="pipeline_id" value=p.id.to_string() />
                        <button type="submit" disabled=!can || has_deals data-testid="delete-pipeline"
                            class="text-sm text-red-700 hover:underline disabled:opacity-40"
                            title=if has_deals { tr("set-delete-pipeline-has-deals") } else { String::new() }>{tr("set-delete-pipeline")}</button>
                    </RpcForm>
                }
            })}
            <RpcForm action=SaveProbabilitySource::PATH attr:class="mb-2 flex flex-wrap items-end gap-2 text-sm" attr:data-testid="probability-source">
                <input type="hidden" name="pipeline_id" value=p.id.to_string() />
                <label class="text-xs text-slate-600">{tr("set-probability-source")}
                    <select name="source" class=format!("block {input}") disabled=!can>
                        {ProbabilitySource::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=p.probability_source == s>{tr(&format!("set-probability-{}", s.as_str()))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" disabled=!can class="rounded-md border border-slate-300 px-2 py-1 disabled:opacity-40">{tr("set-save")}</button>
                <p class="basis-full text-xs text-slate-500">{tr_args("set-probability-explained", &[("min", MIN_CLOSED_DEALS.into())])}</p>
            </RpcForm>
            <StageOrder>
            <ol class="divide-y divide-slate-100 text-sm" data-testid="stages">
                {p.stages.into_iter().enumerate().map(|(i, s)| {
                    let id = s.id;
                    let up = tr_args("set-stage-move-up", &[("stage", s.name.clone().into())]);
                    let down = tr_args("set-stage-move-down", &[("stage", s.name.clone().into())]);
                    let targets: Vec<(StageId, String)> = others.iter().filter(|(o, _)| *o != id).cloned().collect();
                    view! {
                        <li class="py-2" data-testid="stage-row" data-stage-id=id.to_string() data-index=i.to_string()
                            draggable=if can { "true" } else { "false" }>
                            <div class="flex flex-wrap items-end gap-2">
                                <span class="cursor-grab select-none text-slate-400" title=tr("set-drag-to-reorder") aria-hidden="true">"⋮⋮"</span>
                                <RpcForm action=SaveStage::PATH attr:class="flex flex-wrap items-end gap-2">
                                    <input type="hidden" name="stage_id" value=id.to_string() />
                                    <label class="text-xs text-slate-600">{tr("set-name")}
                                        <input name="name" required maxlength="60" value=s.name.clone() class=format!("block w-36 {input}") disabled=!can data-testid="stage-name" />
                                    </label>
                                    <label class="text-xs text-slate-600">{tr("set-stage-key")}
                                        <input name="key" maxlength="50" value=s.key.clone() class=format!("block w-28 {input}") disabled=!can />
                                    </label>
                                    <label class="text-xs text-slate-600">{tr("set-stage-probability")}
                                        <input name="probability" type="number" min="0" max="100" value=s.probability.to_string() class=format!("block w-20 {input}") disabled=!can />
                                    </label>
                                    <label class="text-xs text-slate-600">{tr("set-stage-rotting")}
                                        <input name="rotting_days" type="number" min="1" max="365" value=s.rotting_days.map(|d| d.to_string()).unwrap_or_default() class=format!("block w-20 {input}") disabled=!can />
                                    </label>
                                    <button type="submit" disabled=!can class="rounded-md border border-slate-300 px-2 py-1 disabled:opacity-40">{tr("set-save")}</button>
                                </RpcForm>
                                <LearnedFigure learned=s.learned in_use=s.learned_in_use />
                                <span class="text-xs text-slate-500" data-testid="stage-deals">{tr_args("set-stage-deals", &[("count", s.deals.into())])}</span>
                                <span class="ml-auto flex items-end gap-1">
                                    <RpcForm action=MoveStage::PATH>
                                        <input type="hidden" name="stage_id" value=id.to_string() />
                                        <input type="hidden" name="index" value=(i as i64 - 1).to_string() />
                                        <button type="submit" disabled=!can || i == 0 aria-label=up class="px-1 disabled:opacity-30">"↑"</button>
                                    </RpcForm>
                                    <RpcForm action=MoveStage::PATH>
                                        <input type="hidden" name="stage_id" value=id.to_string() />
                                        <input type="hidden" name="index" value=(i + 1).to_string() />
                                        <button type="submit" disabled=!can || i == last aria-label=down class="px-1 disabled:opacity-30">"↓"</button>
                                    </RpcForm>
                                    <RpcForm action=DeleteStage::PATH attr:class="flex items-end gap-1"
                                        attr:data-confirm=tr("set-delete-stage-confirm")>
                                        <input type="hidden" name="stage_id" value=id.to_string() />
                                        {(s.deals > 0).then(|| view! {
                                            <select name="move_to" aria-label=tr("set-move-deals-to") class=input disabled=!can>
                                                <option value="">{tr("set-move-deals-choose")}</option>
                                                {targets.into_iter().map(|(t, n)| view! { <option value=t.to_string()>{n}</option> }).collect_view()}
                                            </select>
                                        })}
                                        <button type="submit" disabled=!can || only_one class="text-red-700 hover:underline disabled:opacity-40"
                                            title=if only_one { tr("set-last-stage") } else { String::new() }>{tr("set-delete")}</button>
                                    </RpcForm>
                                </span>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
            </StageOrder>
            <RpcForm action=SaveStage::PATH attr:class="mt-2 flex flex-wrap items-end gap-2" attr:data-testid="add-stage">
                <input type="hidden" name="pipeline_id" value=p.id.to_string() />
                <input name="name" required maxlength="60" placeholder=tr("set-new-stage") aria-label=tr("set-new-stage-name") class=input disabled=!can />
                <input name="probability" type="number" min="0" max="100" placeholder="%" aria-label=tr("set-new-stage-probability") class=format!("w-20 {input}") disabled=!can />
                <button type="submit" disabled=!can class="rounded-md bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-40">{tr("set-add-stage")}</button>
            </RpcForm>
        </div>
    }
}

/// What a stage's closed deals say, beside its configured probability: the share won and
/// how many deals it rests on, or that there are too few to use yet.
#[component]
fn LearnedFigure(learned: LearnedShare, in_use: bool) -> impl IntoView {
    let text = match learned.percent() {
        None => tr("set-learned-none"),
        Some(p) if learned.is_enough() => tr_args(
            "set-learned",
            &[
                ("percent", p.into()),
                ("won", learned.won.into()),
                ("closed", learned.closed.into()),
            ],
        ),
        Some(p) => tr_args(
            "set-learned-too-few",
            &[
                ("percent", p.into()),
                ("closed", learned.closed.into()),
                ("min", MIN_CLOSED_DEALS.into()),
            ],
        ),
    };
    view! {
        <span class="text-xs" class:text-emerald-700=in_use class:font-medium=in_use class:text-slate-500=!in_use
            data-testid="stage-learned" data-closed=learned.closed.to_string() data-won=learned.won.to_string() data-in-use=in_use.to_string()>
            {text}{in_use.then(|| format!(" · {}", tr("set-learned-in-use")))}
        </span>
    }
}

/// Drag and drop of the stage rows inside it (server-rendered `[data-stage-id]` rows with
/// their `data-index`): a row dropped on another takes its place, then the page reloads.
#[island(lazy)]
fn StageOrder(children: Children) -> impl IntoView {
    use wasm_bindgen::JsCast;
    use web_sys::Element;

    /// The stage row an event happened in.
    fn row_of(ev: &leptos::ev::DragEvent) -> Option<Element> {
        let el: Element = ev.target()?.dyn_into().ok()?;
        el.closest("[data-stage-id]").ok().flatten()
    }
    fn number(row: &Element, name: &str) -> Option<i64> {
        row.get_attribute(name)?.parse().ok()
    }

    // The dragged row's stage id: plain data, because this island is also rendered on the
    // server, where a browser element held here would be dropped on another thread.
    let dragged = StoredValue::new(None::<i64>);
    let dragged_row = move || {
        let id = dragged.get_value()?;
        web_sys::window()?
            .document()?
            .query_selector(&format!("[data-stage-id=\"{id}\"]"))
            .ok()
            .flatten()
    };
    let on_dragstart = move |ev: leptos::ev::DragEvent| {
        if let Some(row) = row_of(&ev) {
            let _ = row.class_list().add_1("opacity-50");
            dragged.set_value(number(&row, "data-stage-id"));
        }
    };
    let end_drag = move || {
        if let Some(row) = dragged_row() {
            let _ = row.class_list().remove_1("opacity-50");
        }
        dragged.set_value(None);
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let from = dragged.get_value();
        end_drag();
        let (Some(stage_id), Some(target)) = (from, row_of(&ev)) else {
            return;
        };
        let Some(index) = number(&target, "data-index") else {
            return;
        };
        if number(&target, "data-stage-id") == Some(stage_id) {
            return;
        }
        leptos::task::spawn_local(async move {
            match move_stage(StageId(stage_id), index).await {
                Ok(()) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                Err(e) => {
                    // The section's error banner says why.
                    if let Some(banner) = target
                        .closest("[data-testid=pipeline-settings]")
                        .ok()
                        .flatten()
                        .and_then(|s| s.query_selector("[data-page-error]").ok().flatten())
                    {
                        banner.set_text_content(Some(&e.to_string()));
                        let _ = banner.remove_attribute("hidden");
                    }
                }
            }
        });
    };
    view! {
        <div on:dragstart=on_dragstart on:dragend=move |_| end_drag()
            on:dragover=|ev| ev.prevent_default() on:drop=on_drop>
            {children()}
        </div>
    }
}

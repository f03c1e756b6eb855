//! `/import` (upload a CSV file, earlier imports) and `/import/:id` (the file's first rows, the
//! mapping form, the progress of a dry run or an import, its summary and its rows one by one).
//! The forms post to `server/imports` as plain forms; the progress bar is the one island.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::app::error::AppError;
use crate::domain::import::{
    DateFormat, Duplicates, Field, ImportSettings, ImportStatus, ImportView, Mode, Outcome,
    Progress, RowReport, SavedMapping,
};
use crate::domain::{PipelineStages, StageId};
use crate::i18n::{tr, tr_args};

use super::related::{route_id, LoadError};

/// Everything `/import/:id` shows.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ImportPageData {
    pub import: ImportView,
    /// The settings the form starts from: the import's, or a saved mapping's laid over it.
    pub settings: ImportSettings,
    pub pipelines: Vec<PipelineStages>,
    pub mappings: Vec<SavedMapping>,
    pub report: Vec<RowReport>,
}

/// The account's imports.
#[server(prefix = "/rpc", endpoint = "list_imports")]
pub async fn list_imports() -> Result<Vec<ImportView>, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    Ok(crate::server::services::import::store::list(&state.db, &me).await?)
}

/// An import with what its page needs; `mapping` lays a saved mapping over the form,
/// `outcome` and `page` choose the rows of the report.
#[server(prefix = "/rpc", endpoint = "get_import")]
pub async fn get_import(
    id: i64,
    #[server(default)] mapping: Option<i64>,
    #[server(default)] outcome: Option<Outcome>,
    #[server(default)] page: Option<i64>,
) -> Result<ImportPageData, AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::import::store;
    use crate::server::services::pipelines;
    let (state, me) = signed_in().await?;
    let import = store::get(&state.db, &me, id).await?;
    let mappings = store::mappings(&state.db, &me).await?;
    let mut settings = match mapping.and_then(|m| mappings.iter().find(|s| s.id == m)) {
        Some(saved) => store::apply_mapping(saved, &import.headers),
        None => import.settings.clone(),
    };
    if settings.stage_id.is_none() {
        settings.stage_id = store::default_stage(&state.db, &me).await?;
    }
    let pipelines = pipelines::all_with_stages(&state.db, me.account_id).await?;
    let report = store::report(&state.db, &me, id, outcome, page.unwrap_or(1)).await?;
    Ok(ImportPageData {
        import,
        settings,
        pipelines,
        mappings,
        report,
    })
}

const BUTTON: &str =
    "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700";
const INPUT: &str = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/// A refusal sent back to the page (`?error=`).
#[component]
fn QueryError() -> impl IntoView {
    let query = use_query_map();
    let error = query.read_untracked().get("error");
    error.map(|e| {
        view! {
            <div role="alert" data-testid="import-error"
                class="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{e}</div>
        }
    })
}

fn status_text(status: ImportStatus, mode: Mode) -> String {
    let id = match (status, mode) {
        (ImportStatus::Ready, _) => "import-status-ready",
        (ImportStatus::Queued, _) => "import-status-queued",
        (ImportStatus::Running, Mode::DryRun) => "import-status-dry-running",
        (ImportStatus::Running, Mode::Import) => "import-status-running",
        (ImportStatus::Done, Mode::DryRun) => "import-status-dry-done",
        (ImportStatus::Done, Mode::Import) => "import-status-done",
        (ImportStatus::Failed, _) => "import-status-failed",
    };
    tr(id)
}

fn outcome_text(outcome: Outcome) -> String {
    tr(match outcome {
        Outcome::Created => "import-outcome-created",
        Outcome::Updated => "import-outcome-updated",
        Outcome::Unchanged => "import-outcome-unchanged",
        Outcome::Skipped => "import-outcome-skipped",
        Outcome::Refused => "import-outcome-refused",
    })
}

fn field_text(field: Field) -> String {
    tr(match field {
        Field::Ignore => "import-field-ignore",
        Field::DealTitle => "import-field-deal_title",
        Field::DealValue => "import-field-deal_value",
        Field::DealCurrency => "import-field-deal_currency",
        Field::DealStage => "import-field-deal_stage",
        Field::DealStatus => "import-field-deal_status",
        Field::DealExpectedClose => "import-field-deal_expected_close",
        Field::DealOwner => "import-field-deal_owner",
        Field::DealLostReason => "import-field-deal_lost_reason",
        Field::DealExternalId => "import-field-deal_external_id",
        Field::ContactName => "import-field-contact_name",
        Field::ContactFirstName => "import-field-contact_first_name",
        Field::ContactLastName => "import-field-contact_last_name",
        Field::ContactEmail => "import-field-contact_email",
        Field::ContactPhone => "import-field-contact_phone",
        Field::OrganizationName => "import-field-organization_name",
    })
}

/// `/import`.
#[component]
pub fn ImportsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_imports());
    view! {
        <div class="mx-auto max-w-5xl">
            <h1 class="text-xl font-semibold mb-1">{tr("import-heading")}</h1>
            <p class="text-sm text-slate-600 mb-4">{tr("import-intro")}</p>
            <QueryError />
            <section class="rounded-lg bg-white p-4 shadow-sm mb-4">
                <form method="post" action="/import/upload" enctype="multipart/form-data" data-testid="import-upload"
                    class="flex flex-wrap items-end gap-3">
                    <label class="text-sm text-slate-700">{tr("import-file")}
                        <input type="file" name="file" accept=".csv,text/csv" required class=format!("block {INPUT}") />
                    </label>
                    <button type="submit" class=BUTTON>{tr("import-upload")}</button>
                </form>
                <p class="mt-2 text-xs text-slate-500">{tr("import-file-help")}</p>
            </section>
            <Suspense fallback=|| view! { <p class="text-slate-500" aria-busy="true">{tr("import-loading")}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <LoadError message=e.message /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="text-sm text-slate-500" data-testid="imports-empty">{tr("import-none")}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <section class="rounded-lg bg-white p-4 shadow-sm">
                                <h2 class="font-semibold mb-2">{tr("import-earlier")}</h2>
                                <table class="w-full text-sm" data-testid="imports">
                                    <thead class="text-left text-slate-500"><tr>
                                        <th class="py-1">{tr("import-col-file")}</th>
                                        <th>{tr("import-col-status")}</th>
                                        <th>{tr("import-col-rows")}</th>
                                        <th>{tr("import-col-by")}</th>
                                    </tr></thead>
                                    <tbody class="divide-y divide-slate-100">
                                        {list.into_iter().map(|i| view! {
                                            <tr>
                                                <td class="py-1"><a class="text-indigo-700 underline" href=format!("/import/{}", i.id)>{i.file_name.clone()}</a></td>
                                                <td>{status_text(i.progress.status, i.progress.mode)}</td>
                                                <td>{i.progress.total_rows.map(|t| t.to_string()).unwrap_or_default()}</td>
                                                <td>{i.created_by.clone()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// `/import/:id`.
#[component]
pub fn ImportPage() -> impl IntoView {
    let id = route_id::<i64>();
    let query = use_query_map();
    let read = move |k: &str| query.read().get(k);
    let data = Resource::new(
        move || {
            (
                id(),
                read("mapping").and_then(|m| m.parse().ok()),
                read("outcome").as_deref().and_then(Outcome::parse),
                read("page").and_then(|p| p.parse().ok()),
            )
        },
        |(id, mapping, outcome, page)| get_import(id, mapping, outcome, page),
    );
    view! {
        <div class="mx-auto max-w-6xl">
            <p class="mb-2 text-sm"><a href="/import" class="text-indigo-700 underline">{tr("import-all")}</a></p>
            <QueryError />
            <Suspense fallback=|| view! { <p class="text-slate-500" aria-busy="true">{tr("import-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <LoadError message=e.message /> }.into_any(),
                        Ok(data) => view! { <ImportDetail data /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ImportDetail(data: ImportPageData) -> impl IntoView {
    let import = data.import;
    let id = import.id;
    let running = import.progress.status.is_active();
    let finished = import.progress.status == ImportStatus::Done;
    view! {
        <h1 class="text-xl font-semibold mb-1" data-testid="import-file">{import.file_name.clone()}</h1>
        <p class="text-sm text-slate-600 mb-4">
            {tr_args("import-file-facts", &[("columns", (import.headers.len() as i64).into()), ("by", import.created_by.clone().into())])}
        </p>
        <ImportProgress id progress=import.progress.clone() />
        {(!running).then(|| view! {
            <Preview headers=import.headers.clone() rows=import.preview.clone() />
            <MappingForm id headers=import.headers.clone() settings=data.settings pipelines=data.pipelines mappings=data.mappings />
        })}
        {(finished || import.progress.counts.total() > 0).then(|| view! {
            <Report id progress=import.progress.clone() rows=data.report />
        })}
        {(!running).then(|| view! {
            <form method="post" action=format!("/import/{id}/delete") class="mt-6 flex items-center gap-2 text-sm" data-testid="import-delete">
                <label class="flex items-center gap-1"><input type="checkbox" name="confirm" value="yes" required />{tr("import-delete-confirm")}</label>
                <button type="submit" class="rounded-md border border-red-300 px-2 py-1 text-red-700 hover:bg-red-50">{tr("import-delete")}</button>
            </form>
        })}
    }
}

#[component]
fn Preview(headers: Vec<String>, rows: Vec<Vec<String>>) -> impl IntoView {
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm mb-4 overflow-x-auto">
            <h2 class="font-semibold mb-2">{tr("import-preview")}</h2>
            <table class="text-sm" data-testid="import-preview">
                <thead class="text-left text-slate-500"><tr>
                    {headers.into_iter().map(|h| view! { <th class="px-2 py-1 whitespace-nowrap">{h}</th> }).collect_view()}
                </tr></thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|r| view! {
                        <tr>{r.into_iter().map(|c| view! { <td class="px-2 py-1 whitespace-nowrap">{c}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn MappingForm(
    id: i64,
    headers: Vec<String>,
    settings: ImportSettings,
    pipelines: Vec<PipelineStages>,
    mappings: Vec<SavedMapping>,
) -> impl IntoView {
    let stage = settings.stage_id.unwrap_or(StageId(0));
    let dup_text = |d: Duplicates| {
        tr(match d {
            Duplicates::Skip => "import-duplicates-skip",
            Duplicates::Update => "import-duplicates-update",
            Duplicates::Create => "import-duplicates-create",
        })
    };
    let date_text = |d: DateFormat| {
        tr(match d {
            DateFormat::Iso => "import-dates-iso",
            DateFormat::DayMonthYear => "import-dates-dmy",
            DateFormat::MonthDayYear => "import-dates-mdy",
        })
    };
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm mb-4">
            <h2 class="font-semibold mb-2">{tr("import-mapping")}</h2>
            {(!mappings.is_empty()).then(|| view! {
                <form method="get" action=format!("/import/{id}") class="mb-3 flex items-end gap-2 text-sm" data-testid="import-saved-mappings">
                    <label>{tr("import-saved-mapping")}
                        <select name="mapping" class=format!("block {INPUT}")>
                            {mappings.into_iter().map(|m| view! { <option value=m.id.to_string()>{m.name}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="rounded-md border border-slate-300 px-2 py-1">{tr("import-use-mapping")}</button>
                </form>
            })}
            <form method="post" action=format!("/import/{id}/start") data-testid="import-mapping">
                <table class="text-sm mb-4">
                    <thead class="text-left text-slate-500"><tr>
                        <th class="py-1 pr-4">{tr("import-col-column")}</th><th>{tr("import-col-field")}</th>
                    </tr></thead>
                    <tbody>
                        {headers.into_iter().enumerate().map(|(i, h)| {
                            let chosen = settings.mapping.get(i).copied().unwrap_or(Field::Ignore);
                            view! {
                                <tr>
                                    <td class="py-1 pr-4"><label for=format!("column_{i}")>{h}</label></td>
                                    <td><select id=format!("column_{i}") name=format!("column_{i}") class=INPUT data-testid=format!("column-{i}")>
                                        {Field::ALL.into_iter().map(|f| view! {
                                            <option value=f.key() selected={f == chosen}>{field_text(f)}</option>
                                        }).collect_view()}
                                    </select></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <div class="flex flex-wrap gap-4 mb-4 text-sm">
                    <label>{tr("import-stage")}
                        <select name="stage" class=format!("block {INPUT}") data-testid="import-stage">
                            {pipelines.into_iter().map(|p| view! {
                                <optgroup label=p.name>
                                    {p.stages.into_iter().map(|s| view! {
                                        <option value=s.id.to_string() selected={s.id == stage.0}>{s.name}</option>
                                    }).collect_view()}
                                </optgroup>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{tr("import-duplicates")}
                        <select name="duplicates" class=format!("block {INPUT}") data-testid="import-duplicates">
                            {Duplicates::ALL.into_iter().map(|d| view! {
                                <option value=d.key() selected={d == settings.duplicates}>{dup_text(d)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{tr("import-dates")}
                        <select name="dates" class=format!("block {INPUT}")>
                            {DateFormat::ALL.into_iter().map(|d| view! {
                                <option value=d.key() selected={d == settings.dates}>{date_text(d)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="flex items-center gap-1 self-end">
                        <input type="checkbox" name="decimal_comma" checked=settings.decimal_comma />{tr("import-decimal-comma")}
                    </label>
                    <label>{tr("import-save-as")}
                        <input name="save_as" maxlength="80" class=format!("block {INPUT}") placeholder=tr("import-save-as-placeholder") />
                    </label>
                </div>
                <p class="text-xs text-slate-500 mb-3">{tr("import-matching-help")}</p>
                <div class="flex gap-2">
                    <button type="submit" name="mode" value="dry_run" class=BUTTON data-testid="import-dry-run">{tr("import-dry-run")}</button>
                    <button type="submit" name="mode" value="import" class=BUTTON data-testid="import-run">{tr("import-run")}</button>
                    <button type="submit" name="mode" value="save" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm">{tr("import-save-only")}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn Report(id: i64, progress: Progress, rows: Vec<RowReport>) -> impl IntoView {
    let query = use_query_map();
    let page = query
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let outcome = query.read_untracked().get("outcome");
    let link = move |o: Option<&str>, page: i64| match o {
        Some(o) => format!("/import/{id}?outcome={o}&page={page}"),
        None => format!("/import/{id}?page={page}"),
    };
    let more = rows.len() as i64 == 50;
    let heading = if progress.mode == Mode::DryRun {
        tr("import-report-dry")
    } else {
        tr("import-report")
    };
    let outcome_for_pages = outcome.clone();
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm mb-4" data-testid="import-report">
            <h2 class="font-semibold mb-2">{heading}</h2>
            <ul class="flex flex-wrap gap-3 mb-3 text-sm" data-testid="import-counts">
                {Outcome::ALL.into_iter().map(|o| view! {
                    <li><a href=link(Some(o.key()), 1) class="underline" data-testid=format!("count-{}", o.key())
                        data-count=progress.counts.get(o).to_string()>
                        {outcome_text(o)}": "{progress.counts.get(o)}</a></li>
                }).collect_view()}
                <li><a href=link(None, 1) class="underline">{tr("import-all-rows")}</a></li>
                {(progress.counts.refused > 0).then(|| view! {
                    <li><a href=format!("/import/{id}/refused.csv") download="" class="text-indigo-700 underline" data-testid="import-refused-csv">{tr("import-refused-csv")}</a></li>
                })}
            </ul>
            {if rows.is_empty() {
                view! { <p class="text-sm text-slate-500">{tr("import-no-rows")}</p> }.into_any()
            } else {
                view! {
                    <table class="w-full text-sm" data-testid="import-rows">
                        <thead class="text-left text-slate-500"><tr>
                            <th class="py-1">{tr("import-col-line")}</th><th>{tr("import-col-outcome")}</th>
                            <th>{tr("import-col-records")}</th><th>{tr("import-col-reason")}</th>
                        </tr></thead>
                        <tbody class="divide-y divide-slate-100">
                            {rows.into_iter().map(|r| view! {
                                <tr data-outcome=r.outcome.key()>
                                    <td class="py-1">{r.line}</td>
                                    <td>{outcome_text(r.outcome)}</td>
                                    <td>{r.summary}</td>
                                    <td class="text-red-700">{r.field.map(|f| format!("{}: ", field_text(f))).unwrap_or_default()}{r.reason.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <nav class="mt-3 flex gap-3 text-sm">
                {(page > 1).then(|| view! { <a class="underline" href=link(outcome_for_pages.as_deref(), page - 1)>{tr("common-previous")}</a> })}
                {more.then(|| view! { <a class="underline" href=link(outcome.as_deref(), page + 1)>{tr("common-next")}</a> })}
            </nav>
        </section>
    }
}

/// The progress bar of a running import, kept up to date from `/import/:id/progress`; once the
/// run ends the page reloads to show the report. Without script it shows the state at load.
#[island(lazy)]
fn ImportProgress(id: i64, progress: Progress) -> impl IntoView {
    let state = RwSignal::new(progress);
    #[cfg(feature = "hydrate")]
    follow_progress(id, state);
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm mb-4" data-testid="import-progress"
            data-status=move || state.with(|p| p.status.key())
            data-rows-done=move || state.with(|p| p.rows_done.to_string())>
            <p class="text-sm font-medium mb-1" data-testid="import-status">
                {move || state.with(|p| status_text(p.status, p.mode))}
            </p>
            {move || state.with(|p| p.status.is_active() || p.rows_done > 0).then(|| view! {
                <progress class="w-full" max="100" value=move || state.with(|p| p.percent().to_string())
                    aria-label=tr("import-progress")></progress>
                <p class="text-xs text-slate-600" data-testid="import-progress-text">
                    {move || state.with(|p| {
                        let mut text = match p.total_rows {
                            Some(total) => tr_args("import-rows-of", &[("done", p.rows_done.into()), ("total", total.into())]),
                            None => tr_args("import-rows-done", &[("done", p.rows_done.into())]),
                        };
                        if let Some(rate) = p.rate {
                            text.push_str(" · ");
                            text.push_str(&tr_args("import-rate", &[("rate", (rate.round() as i64).into())]));
                        }
                        if let Some(left) = p.seconds_left {
                            text.push_str(" · ");
                            text.push_str(&tr_args("import-time-left", &[("seconds", left.into())]));
                        }
                        text
                    })}
                </p>
            })}
            {move || state.with(|p| p.error.clone()).map(|e| view! {
                <p role="alert" class="mt-1 text-sm text-red-700">{e}</p>
            })}
        </section>
    }
}

/// Follows the progress events while the run goes on; reloads the page when it ends.
#[cfg(feature = "hydrate")]
fn follow_progress(id: i64, state: RwSignal<Progress>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    if !state.with_untracked(|p| p.status.is_active()) {
        return;
    }
    let Ok(source) = web_sys::EventSource::new(&format!("/import/{id}/progress")) else {
        return;
    };
    let closer = source.clone();
    let on_progress =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            let Ok(progress) = serde_json::from_str::<Progress>(&text) else {
                return;
            };
            let ended = !progress.status.is_active();
            state.set(progress);
            if ended {
                closer.close();
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            }
        });
    let _ =
        source.add_event_listener_with_callback("progress", on_progress.as_ref().unchecked_ref());
    on_progress.forget();
    let source = StoredValue::new_local(source);
    on_cleanup(move || source.with_value(|s| s.close()));
}

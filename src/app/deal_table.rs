//! `/deals`: every deal of the account (open, won, lost) as a table — the columns a reader
//! picks, ordered by any of them, the board's filters and more (status, pipeline, stage, owner,
//! value, dates, tag, lead source), 50 rows a page. Everything lives in the URL, so a table can
//! be bookmarked and shared, and every control works without script.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::error::AppError;
use super::related::{LoadError, Pager};
use crate::domain::catalog::Choice;
use crate::domain::deal_table::{Column, TablePage, TableQuery, TableRow, FILTER_KEYS};
use crate::domain::{DealStatus, PipelineStages, UserSummary};
use crate::i18n::format::{date, money};
use crate::i18n::{current, tr, tr_args};

/// What the filters offer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TableChoices {
    pub pipelines: Vec<PipelineStages>,
    pub users: Vec<UserSummary>,
    pub tags: Vec<Choice>,
    pub lead_sources: Vec<Choice>,
}

/// The page of the table `query` (a URL query string) asks for, and what its filters offer.
#[server(prefix = "/rpc", endpoint = "deal_table")]
pub async fn deal_table(query: String) -> Result<(TablePage, TableChoices), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::{accounts, catalog, deals, pipelines};
    let (state, me) = signed_in().await?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let parsed = TableQuery::from_query(
        |k| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        },
        |k| {
            pairs
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .collect()
        },
    );
    let page = deals::table::page(&state.db, (&me).into(), &parsed).await?;
    let choices = TableChoices {
        pipelines: pipelines::all_with_stages(&state.db, me.account_id).await?,
        users: accounts::list_users(&state.db, me.account_id).await?,
        tags: catalog::tags(&state.db, me.account_id).await?,
        lead_sources: catalog::lead_sources(&state.db, me.account_id).await?,
    };
    Ok((page, choices))
}

/// A column's heading.
fn heading(column: Column) -> String {
    tr(match column {
        Column::Title => "table-col-title",
        Column::Pipeline => "table-col-pipeline",
        Column::Stage => "table-col-stage",
        Column::Status => "table-col-status",
        Column::Value => "table-col-value",
        Column::Owner => "table-col-owner",
        Column::Contact => "table-col-contact",
        Column::Organization => "table-col-organization",
        Column::ExpectedClose => "table-col-expected-close",
        Column::LeadSource => "table-col-lead-source",
        Column::Tags => "table-col-tags",
        Column::Created => "table-col-created",
        Column::Updated => "table-col-updated",
    })
}

fn status_label(status: DealStatus) -> String {
    tr(match status {
        DealStatus::Open => "board-status-open",
        DealStatus::Won => "board-status-won",
        DealStatus::Lost => "board-status-lost",
    })
}

/// A row's cell in `column`.
fn cell(row: &TableRow, column: Column) -> AnyView {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    match column {
        Column::Title => view! {
            <a href=format!("/deals/{}", row.id) class="font-medium text-indigo-700 hover:underline">{row.title.clone()}</a>
        }
        .into_any(),
        Column::Pipeline => row.pipeline.clone().into_any(),
        Column::Stage => row.stage.clone().into_any(),
        Column::Status => status_label(row.status).into_any(),
        Column::Value => money(row.value_cents, &row.currency, current()).into_any(),
        Column::Owner => text(&row.owner).into_any(),
        Column::Contact => text(&row.contact).into_any(),
        Column::Organization => text(&row.organization).into_any(),
        Column::ExpectedClose => row
            .expected_close_date
            .as_deref()
            .map(|d| date(d, current()))
            .unwrap_or_default()
            .into_any(),
        Column::LeadSource => text(&row.lead_source).into_any(),
        Column::Tags => row.tags.join(", ").into_any(),
        Column::Created => date(row.created_at.get(..10).unwrap_or(""), current()).into_any(),
        Column::Updated => date(row.updated_at.get(..10).unwrap_or(""), current()).into_any(),
    }
}

/// `/deals`.
#[component]
pub fn DealTablePage() -> impl IntoView {
    let query = use_query_map();
    let typed = move || {
        let q = query.read();
        TableQuery::from_query(|k| q.get(k), |k| q.get_all(k).unwrap_or_default())
    };
    let data = Resource::new(
        move || typed().to_query_with(&typed().sort, &typed().dir, &typed().page),
        deal_table,
    );
    view! {
        <div class="mx-auto max-w-7xl">
            <h1 class="mb-3 text-xl font-semibold">{tr("table-heading")}</h1>
            <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("common-loading")}</p> }>
                {move || Suspend::new(async move {
                    let query = typed();
                    match data.await {
                        Err(e) => view! {
                            <Filters query=query.clone() choices=None />
                            <LoadError message=e.to_string() />
                        }.into_any(),
                        Ok((page, choices)) => view! {
                            <Filters query=query.clone() choices=Some(choices) />
                            <ColumnChooser query=query.clone() shown=page.columns.clone() />
                            <Rows query=query page=page />
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The filters, a GET form (the chosen columns and order kept as hidden fields).
#[component]
fn Filters(query: TableQuery, choices: Option<TableChoices>) -> impl IntoView {
    let input = "block rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let label = "text-xs text-slate-600";
    let choices = choices.unwrap_or(TableChoices {
        pipelines: Vec::new(),
        users: Vec::new(),
        tags: Vec::new(),
        lead_sources: Vec::new(),
    });
    let picked = |key: &str, id: String| query.filter(key) == id;
    let value = |key: &str| query.filter(key).to_string();
    view! {
        <form method="get" class="mb-3 flex flex-wrap items-end gap-2 rounded-lg bg-white p-3 shadow-sm"
            aria-label=tr("table-filters") data-testid="table-filters">
            <label class=label>{tr("board-search")}
                <input type="search" name="q" value=value("q") data-search="" class=input />
            </label>
            <label class=label>{tr("board-status")}
                <select name="status" class=input>
                    <option value="">{tr("board-status-all")}</option>
                    {["open", "won", "lost"].into_iter().map(|s| view! {
                        <option value=s selected=query.status == s>{status_label(s.parse().unwrap_or(DealStatus::Open))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class=label>{tr("table-col-pipeline")}
                <select name="pipeline" class=input>
                    <option value="">{tr("table-any")}</option>
                    {choices.pipelines.iter().map(|p| view! {
                        <option value=p.id.to_string() selected=picked("pipeline", p.id.to_string())>{p.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class=label>{tr("table-col-stage")}
                <select name="stage" class=input>
                    <option value="">{tr("table-any")}</option>
                    {choices.pipelines.iter().map(|p| view! {
                        <optgroup label=p.name.clone()>
                            {p.stages.iter().map(|s| view! {
                                <option value=s.id.to_string() selected=picked("stage", s.id.to_string())>{s.name.clone()}</option>
                            }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </label>
            <label class=label>{tr("table-col-owner")}
                <select name="owner" class=input>
                    <option value="">{tr("table-any")}</option>
                    {choices.users.iter().map(|u| view! {
                        <option value=u.id.to_string() selected=picked("owner", u.id.to_string())>{u.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class=label>{tr("table-col-tags")}
                <select name="tag" class=input>
                    <option value="">{tr("table-any")}</option>
                    {choices.tags.iter().map(|t| view! {
                        <option value=t.id.to_string() selected=picked("tag", t.id.to_string())>{t.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class=label>{tr("table-col-lead-source")}
                <select name="lead_source" class=input>
                    <option value="">{tr("table-any")}</option>
                    {choices.lead_sources.iter().map(|t| view! {
                        <option value=t.id.to_string() selected=picked("lead_source", t.id.to_string())>{t.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class=label>{tr("board-min-value")}
                <input name="min_value" inputmode="decimal" size="8" value=value("min_value") class=input />
            </label>
            <label class=label>{tr("board-max-value")}
                <input name="max_value" inputmode="decimal" size="8" value=value("max_value") class=input />
            </label>
            <label class=label>{tr("table-created-from")}
                <input name="created_from" type="date" value=value("created_from") class=input />
            </label>
            <label class=label>{tr("table-created-to")}
                <input name="created_to" type="date" value=value("created_to") class=input />
            </label>
            <label class=label>{tr("table-close-from")}
                <input name="close_from" type="date" value=value("close_from") class=input />
            </label>
            <label class=label>{tr("table-close-to")}
                <input name="close_to" type="date" value=value("close_to") class=input />
            </label>
            {query.cols.iter().map(|c| view! { <input type="hidden" name="cols" value=c.clone() /> }).collect_view()}
            {(!query.sort.is_empty()).then(|| view! { <input type="hidden" name="sort" value=query.sort.clone() /> })}
            {(!query.dir.is_empty()).then(|| view! { <input type="hidden" name="dir" value=query.dir.clone() /> })}
            <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">{tr("table-apply")}</button>
            <a href="/deals" class="px-2 py-1 text-sm text-slate-600 underline">{tr("table-clear")}</a>
        </form>
    }
}

/// The column chooser: a GET form of checkboxes that keeps the filters and order.
#[component]
fn ColumnChooser(query: TableQuery, shown: Vec<Column>) -> impl IntoView {
    view! {
        <details class="mb-3" data-testid="column-chooser">
            <summary class="cursor-pointer text-sm text-slate-700">{tr("table-columns")}</summary>
            <form method="get" class="mt-2 flex flex-wrap items-center gap-3 rounded-lg bg-white p-3 text-sm shadow-sm">
                {FILTER_KEYS.iter().filter(|k| !query.filter(k).is_empty()).map(|k| view! {
                    <input type="hidden" name=*k value=query.filter(k).to_string() />
                }).collect_view()}
                {(!query.sort.is_empty()).then(|| view! { <input type="hidden" name="sort" value=query.sort.clone() /> })}
                {(!query.dir.is_empty()).then(|| view! { <input type="hidden" name="dir" value=query.dir.clone() /> })}
                {Column::ALL.into_iter().map(|c| view! {
                    <label class="flex items-center gap-1">
                        <input type="checkbox" name="cols" value=c.key() checked=shown.contains(&c) />
                        {heading(c)}
                    </label>
                }).collect_view()}
                <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-white">{tr("table-show-columns")}</button>
            </form>
        </details>
    }
}

/// The table itself, its sortable headings and the pager.
#[component]
fn Rows(query: TableQuery, page: TablePage) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <p class="rounded-lg bg-white p-6 text-slate-600 shadow-sm" data-testid="table-empty">{tr("table-empty")}</p>
        }
        .into_any();
    }
    let pages = (page.total + page.per_page - 1) / page.per_page;
    let link_query = query.clone();
    let (sort, descending) = (page.sort, page.descending);
    let headings = page
        .columns
        .iter()
        .map(|&c| {
            let current = c == sort;
            let aria = current.then_some(if descending { "descending" } else { "ascending" });
            let label = heading(c);
            if !c.sortable() {
                return view! { <th scope="col" class="px-3 py-2 text-left">{label}</th> }.into_any();
            }
            // A heading sorts by its column; the current one turns the order around.
            let dir = if current && !descending { "desc" } else { "asc" };
            let href = format!("/deals?{}", query.to_query_with(c.key(), dir, ""));
            let mark = aria.map(|a| if a == "descending" { " ↓" } else { " ↑" });
            view! {
                <th scope="col" class="px-3 py-2 text-left" aria-sort=aria>
                    <a href=href class="hover:underline" data-testid="sort-link" data-column=c.key()>{label}{mark}</a>
                </th>
            }
            .into_any()
        })
        .collect_view();
    let columns = page.columns.clone();
    let body = page
        .rows
        .iter()
        .map(|row| {
            view! {
                <tr class="border-t border-slate-100" data-testid="deal-row" data-deal=row.id.to_string()>
                    {columns.iter().map(|&c| view! { <td class="px-3 py-2" data-column=c.key()>{cell(row, c)}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let summary = tr_args(
        "table-summary",
        &[
            ("count", page.total.into()),
            ("page", page.page.into()),
            ("pages", pages.max(1).into()),
        ],
    );
    let sort_key = query.sort.clone();
    let dir_key = query.dir.clone();
    view! {
        <div class="overflow-x-auto rounded-lg bg-white shadow-sm">
            <table class="min-w-full text-sm" data-testid="deal-table">
                <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-600"><tr>{headings}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <Pager summary=summary page=page.page pages=pages
            link=move |p| format!("/deals?{}", link_query.to_query_with(&sort_key, &dir_key, &p.to_string())) />
    }
    .into_any()
}

//! `/deals`: every deal of the account (open, won, lost) as a table — the columns a reader
//! picks, ordered by any of them, the board's filters and more (status, pipeline, stage, owner,
//! value, dates, tag, lead source), 50 rows a page. Everything lives in the URL, so a table can
//! be bookmarked and shared, and every control works without script.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::error::AppError;
use super::feedback::{ErrorBanner, RpcForm};
use super::related::{LoadError, Pager};
use crate::domain::catalog::Choice;
use crate::domain::deal_table::{Column, SavedView, TablePage, TableQuery, TableRow, FILTER_KEYS};
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
    /// The reader's saved views and those shared with the account.
    pub views: Vec<SavedView>,
}

/// The page of the table `query` (a URL query string) asks for, and what its filters offer.
#[server(prefix = "/rpc", endpoint = "deal_table")]
pub async fn deal_table(query: String) -> Result<(TablePage, TableChoices), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::{accounts, catalog, deals, pipelines};
    let (state, me) = signed_in().await?;
    let parsed = deals::table::parse_query(&query);
    let page = deals::table::page(&state.db, (&me).into(), &parsed).await?;
    let choices = TableChoices {
        pipelines: pipelines::all_with_stages(&state.db, me.account_id).await?,
        users: accounts::list_users(&state.db, me.account_id).await?,
        tags: catalog::tags(&state.db, me.account_id).await?,
        lead_sources: catalog::lead_sources(&state.db, me.account_id).await?,
        views: deals::views::list(&state.db, (&me).into()).await?,
    };
    Ok((page, choices))
}

/// The reader's saved views and those shared with the account (the board lists them too).
#[server(prefix = "/rpc", endpoint = "deal_views")]
pub async fn deal_views() -> Result<Vec<SavedView>, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::deals::views::list(&state.db, (&me).into())
        .await
        .map_err(AppError::from)
}

/// Keeps the table's `query` as a view named `name`, shared with the account when `shared`
/// is checked.
#[server(prefix = "/rpc", endpoint = "save_deal_view")]
pub async fn save_deal_view(
    name: String,
    #[server(default)] query: String,
    #[server(default)] shared: Option<String>,
) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::deals::views::save(
        &state.db,
        (&me).into(),
        &name,
        &query,
        shared.is_some(),
    )
    .await
    .map(|_| ())
    .map_err(AppError::from)
}

/// Deletes one of the reader's views.
#[server(prefix = "/rpc", endpoint = "delete_deal_view")]
pub async fn delete_deal_view(id: i64) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::deals::views::delete(&state.db, (&me).into(), id)
        .await
        .map_err(AppError::from)
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
    let data = Resource::new(move || typed().to_query(), deal_table);
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
                            <Views query=query.clone() views=choices.views.clone() />
                            <Filters query=query.clone() choices=Some(choices.clone()) />
                            <ColumnChooser query=query.clone() shown=page.columns.clone() />
                            <BulkOutcome />
                            <Rows query=query page=page choices=choices />
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The saved views (each opens the table as it was saved; the reader's own can be deleted)
/// and the form that saves the table as it is now.
#[component]
fn Views(query: TableQuery, views: Vec<SavedView>) -> impl IntoView {
    let current = query.to_query_with(&query.sort, &query.dir, "");
    view! {
        <section class="mb-3 flex flex-wrap items-center gap-2 text-sm" aria-label=tr("table-views") data-testid="views">
            <ErrorBanner />
            <span class="text-slate-600">{tr("table-views")}</span>
            {if views.is_empty() {
                view! { <span class="text-slate-500" data-testid="views-empty">{tr("table-no-views")}</span> }.into_any()
            } else {
                views.into_iter().map(|v| view! {
                    <span class="inline-flex items-center gap-1 rounded-full border border-slate-300 bg-white pl-3 pr-1">
                        <a href=v.table_href.clone() class="py-0.5 hover:underline" data-testid="view-link">{v.name.clone()}</a>
                        {v.shared.then(|| view! { <span class="text-xs text-slate-500">{tr("table-view-shared")}</span> })}
                        {v.mine.then(|| view! {
                            <RpcForm action=DeleteDealView::PATH confirm=tr_args("table-delete-view-confirm", &[("name", v.name.clone().into())])>
                                <input type="hidden" name="id" value=v.id.to_string() />
                                <button type="submit" class="rounded-full px-1.5 text-slate-500 hover:bg-slate-100"
                                    aria-label=tr_args("table-delete-view", &[("name", v.name.clone().into())])>"×"</button>
                            </RpcForm>
                        })}
                    </span>
                }).collect_view().into_any()
            }}
            <details class="ml-auto" data-testid="save-view">
                <summary class="cursor-pointer text-indigo-700">{tr("table-save-view")}</summary>
                <RpcForm action=SaveDealView::PATH done=tr("table-view-saved")>
                    <div class="mt-2 flex flex-wrap items-end gap-2 rounded-lg bg-white p-3 shadow-sm">
                        <input type="hidden" name="query" value=current />
                        <label class="text-xs text-slate-600">{tr("table-view-name")}
                            <input name="name" required maxlength="80" class="block rounded-md border border-slate-300 px-2 py-1 text-sm" />
                        </label>
                        <label class="flex items-center gap-1 text-xs text-slate-600">
                            <input type="checkbox" name="shared" value="on" />
                            {tr("table-view-share")}
                        </label>
                        <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">{tr("table-view-save")}</button>
                    </div>
                </RpcForm>
            </details>
        </section>
    }
}

/// The saved views as links to the board (their pipeline with the filters a board has).
#[component]
pub fn BoardViews() -> impl IntoView {
    let views = Resource::new(|| (), |_| deal_views());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                views.await.ok().filter(|v| !v.is_empty()).map(|views| view! {
                    <details class="relative self-end text-sm" data-testid="board-views">
                        <summary class="cursor-pointer rounded-md border border-slate-300 bg-white px-3 py-1 text-slate-700">{tr("table-views")}</summary>
                        <ul class="absolute right-0 z-20 mt-1 w-56 rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-200">
                            {views.into_iter().map(|v| view! {
                                <li><a href=v.board_href class="block px-3 py-1.5 hover:bg-slate-100" data-testid="board-view-link">{v.name}</a></li>
                            }).collect_view()}
                        </ul>
                    </details>
                })
            })}
        </Suspense>
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
        views: Vec::new(),
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
            // Every deal these filters find, as a spreadsheet.
            <a href=format!("/export/table.csv?{}", query.to_query_with("", "", "")) download="" data-testid="export-csv"
                class="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:bg-slate-50">{tr("common-export")}</a>
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

/// What the last change of the picked deals did (`bulk_done`: how many changed) or why it
/// did not (`bulk_error`), as the redirect after it says.
#[component]
fn BulkOutcome() -> impl IntoView {
    let query = use_query_map();
    let (done, error) = {
        let q = query.read_untracked();
        (q.get("bulk_done"), q.get("bulk_error"))
    };
    view! {
        {error.map(|e| view! {
            <p role="alert" class="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="bulk-error">{e}</p>
        })}
        {done.and_then(|n| n.parse::<i64>().ok()).map(|n| view! {
            <p role="status" class="mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="bulk-done">
                {tr_args("table-bulk-done", &[("count", n.into())])}
            </p>
        })}
    }
}

/// The form for the picked deals (the rows' checkboxes belong to it through `form="bulk"`).
#[component]
fn BulkForm(back: String, choices: TableChoices) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <form id="bulk" method="post" action="/deals/bulk" data-testid="bulk-form"
            class="mb-2 flex flex-wrap items-end gap-2 rounded-lg bg-white p-3 text-sm shadow-sm">
            <input type="hidden" name="back" value=back />
            <label class="text-xs text-slate-600">{tr("table-bulk-action")}
                <select name="action" class=format!("block {input}")>
                    <option value="assign">{tr("table-bulk-assign")}</option>
                    <option value="move">{tr("table-bulk-move")}</option>
                    <option value="tag">{tr("table-bulk-tag")}</option>
                    <option value="lose">{tr("table-bulk-lose")}</option>
                    <option value="delete">{tr("table-bulk-delete")}</option>
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("table-col-owner")}
                <select name="owner" class=format!("block {input}")>
                    {choices.users.iter().map(|u| view! { <option value=u.id.to_string()>{u.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("table-col-stage")}
                <select name="stage" class=format!("block {input}")>
                    {choices.pipelines.iter().map(|p| view! {
                        <optgroup label=p.name.clone()>
                            {p.stages.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("table-col-tags")}
                <select name="tag" class=format!("block {input}")>
                    {choices.tags.iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("table-bulk-reason")}
                <input name="reason" maxlength="200" class=format!("block {input}") />
            </label>
            <label class="flex items-center gap-1 text-xs text-slate-600">
                <input type="checkbox" name="confirm" value="yes" />
                {tr("table-bulk-confirm")}
            </label>
            <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-white">{tr("table-bulk-apply")}</button>
        </form>
    }
}

/// The table itself, its sortable headings and the pager.
#[component]
fn Rows(query: TableQuery, page: TablePage, choices: TableChoices) -> impl IntoView {
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
                    <td class="px-3 py-2">
                        <input type="checkbox" name="ids" value=row.id.to_string() form="bulk"
                            aria-label=tr_args("table-pick", &[("title", row.title.clone().into())]) data-testid="pick" />
                    </td>
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
    // Back to this page by its number (a page reached by a cursor has none in its query).
    let back = format!(
        "/deals?{}",
        query.to_query_with(&query.sort, &query.dir, &page.page.to_string())
    );
    // The next page from this one's cursor where there is one (read from the index after this
    // page's last row, however deep), else by its number.
    let (current, next) = (page.page, page.next.clone());
    view! {
        <BulkForm back=back choices=choices />
        <div class="overflow-x-auto rounded-lg bg-white shadow-sm">
            <table class="min-w-full text-sm" data-testid="deal-table">
                <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                    <tr><th scope="col" class="px-3 py-2"><span class="sr-only">{tr("table-picked")}</span></th>{headings}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <Pager summary=summary page=page.page pages=pages
            link=move |p| match next.as_deref().filter(|_| p == current + 1) {
                Some(after) => {
                    let q = link_query.to_query_with(&sort_key, &dir_key, "");
                    format!("/deals?{q}{}after={after}", if q.is_empty() { "" } else { "&" })
                }
                None => format!("/deals?{}", link_query.to_query_with(&sort_key, &dir_key, &p.to_string())),
            } />
    }
    .into_any()
}

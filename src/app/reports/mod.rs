//! `/reports`: the forecast, the conversion funnel, velocity, won and lost, and activity, each
//! a chart drawn on the server ([`charts`]) with its numbers as a table under it and the
//! same table as CSV (`/export/reports/{report}.csv`). Everyone reports on the deals they
//! are responsible for; owners and admins on the team's, one person's if they pick one.

pub mod charts;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::app::error::AppError;
use crate::domain::catalog::Choice;
use crate::domain::report::{
    ActivityReport, ForecastReport, FunnelReport, VelocityReport, WonLostReport,
};
use crate::domain::report_table::{self, Cell, ReportKind, Table};
use crate::domain::{PipelineId, PipelineSummary, UserId};
use crate::i18n::{format, tr, tr_args, Locale};

use charts::{Frame, Marker};

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportsView {
    pub pipelines: Vec<PipelineSummary>,
    /// The people an owner or admin may narrow to; empty for everyone else.
    pub people: Vec<(UserId, String)>,
    pub tags: Vec<Choice>,
    pub pipeline_id: PipelineId,
    pub from: String,
    pub to: String,
    pub forecast: ForecastReport,
    pub funnel: FunnelReport,
    pub velocity: VelocityReport,
    pub won_lost: WonLostReport,
    pub activity: ActivityReport,
}

/// The reports under the filter (every value as typed; "" is no filter).
#[server(prefix = "/rpc", endpoint = "reports")]
pub async fn reports_data(
    #[server(default)] pipeline: String,
    #[server(default)] owner: String,
    #[server(default)] tag: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<ReportsView, AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::reports::{
        activity, forecast, from_form, funnel, velocity, won_lost,
    };
    use crate::server::services::{accounts, catalog, pipelines};
    let (state, me) = signed_in().await?;
    let zone = crate::server::time_zone::of(&me);
    let filter = from_form(zone, &pipeline, &owner, &tag, &from, &to)?;
    let actor = (&me).into();
    let db = &state.db;
    let people = if me.role.can_configure() {
        accounts::list_users(db, me.account_id)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    } else {
        Vec::new()
    };
    let forecast = forecast::forecast(db, actor, &filter).await?;
    Ok(ReportsView {
        pipelines: pipelines::list_pipelines(db, me.account_id).await?,
        people,
        tags: catalog::tags(db, me.account_id).await?,
        pipeline_id: forecast.pipeline_id,
        from: filter.from.format("%Y-%m-%d").to_string(),
        to: filter.to.format("%Y-%m-%d").to_string(),
        funnel: funnel::funnel(db, actor, &filter).await?,
        velocity: velocity::velocity(db, actor, &filter).await?,
        won_lost: won_lost::won_lost(db, actor, &filter).await?,
        activity: activity::activity(db, actor, &filter).await?,
        forecast,
    })
}

/// Days to a tenth as the language writes a decimal.
fn days(d: f64, locale: Locale) -> String {
    let text = format!("{d:.1}");
    match locale {
        Locale::En => text,
        _ => text.replace('.', ","),
    }
}

/// A cell as the reader reads it.
fn shown(cell: &Cell, currency: &str, locale: Locale) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Word(w) => tr(&format!("report-word-{w}")),
        Cell::Count(n) => n.to_string(),
        Cell::Money(c) => format::money(*c, currency, locale),
        Cell::Days(d) => d.map(|d| days(d, locale)).unwrap_or_else(|| "—".into()),
        Cell::Percent(p) => p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
        Cell::Empty => String::new(),
    }
}

/// A column's heading: activity types by their own names, the rest from the report words.
fn heading(column: &str) -> String {
    match column {
        "call" | "meeting" | "email" | "task" | "note" => tr(&format!("act-kind-{column}")),
        c => tr(&format!("report-col-{c}")),
    }
}

/// `/reports`.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let query = use_query_map();
    let q = query.read_untracked();
    let get = |k: &str| q.get(k).unwrap_or_default();
    let args = (
        get("pipeline"),
        get("owner"),
        get("tag"),
        get("from"),
        get("to"),
    );
    drop(q);
    let data = Resource::new(
        || (),
        move |_| {
            let (p, o, t, f, to) = args.clone();
            reports_data(p, o, t, f, to)
        },
    );
    view! {
        <div class="mx-auto max-w-6xl space-y-4" data-testid="reports">
            <h1 class="text-xl font-semibold">{tr("report-title")}</h1>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">{tr("report-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="rounded-lg bg-white p-4 text-sm text-red-700 shadow-sm" data-testid="reports-error">{e.to_string()}</p> }.into_any(),
                        Ok(view) => view! { <Reports view=view /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The filter, then every report.
#[component]
fn Reports(view: ReportsView) -> impl IntoView {
    let query = use_query_map();
    let (owner, tag) = query.with_untracked(|q| {
        (
            q.get("owner").unwrap_or_default(),
            q.get("tag").unwrap_or_default(),
        )
    });
    let filter_query = format!(
        "pipeline={}&owner={}&tag={}&from={}&to={}",
        view.pipeline_id,
        crate::domain::url_encode(&owner),
        crate::domain::url_encode(&tag),
        view.from,
        view.to
    );
    let input = "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let currency = view.forecast.currency.clone();
    let locale = crate::i18n::current();
    let csv = move |kind: ReportKind| format!("/export/reports/{}.csv?{filter_query}", kind.slug());
    view! {
        <form method="get" action="/reports" class="flex flex-wrap items-end gap-2 rounded-lg bg-white p-3 shadow-sm print:hidden" data-testid="report-filter">
            <label class="text-xs text-slate-600">{tr("report-pipeline")}
                <select name="pipeline" class=input>
                    {view.pipelines.iter().map(|p| view! {
                        <option value=p.id.to_string() selected=p.id == view.pipeline_id>{p.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            {(!view.people.is_empty()).then(|| view! {
                <label class="text-xs text-slate-600">{tr("report-owner")}
                    <select name="owner" class=input>
                        <option value="">{tr("report-everyone")}</option>
                        {view.people.iter().map(|(id, name)| {
                            let v = id.to_string();
                            view! { <option value=v.clone() selected=owner == v>{name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            })}
            <label class="text-xs text-slate-600">{tr("report-tag")}
                <select name="tag" class=input>
                    <option value="">{tr("report-any-tag")}</option>
                    {view.tags.iter().map(|t| {
                        let v = t.id.to_string();
                        view! { <option value=v.clone() selected=tag == v>{t.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("report-from")}
                <input type="date" name="from" value=view.from.clone() class=input />
            </label>
            <label class="text-xs text-slate-600">{tr("report-to")}
                <input type="date" name="to" value=view.to.clone() class=input />
            </label>
            <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white" data-testid="report-apply">{tr("report-apply")}</button>
        </form>
        <ForecastSection report=view.forecast.clone() csv=csv(ReportKind::Forecast) />
        <ReportSection kind=ReportKind::Funnel intro=tr("report-funnel-intro") csv=csv(ReportKind::Funnel)
            chart=funnel_chart(&view.funnel) table=report_table::funnel(&view.funnel) currency=currency.clone() empty=view.funnel.stages.iter().all(|s| s.entered == 0) />
        <ReportSection kind=ReportKind::Velocity intro=tr("report-velocity-intro") csv=csv(ReportKind::Velocity)
            chart=velocity_chart(&view.velocity, locale) table=report_table::velocity(&view.velocity) currency=currency.clone()
            empty=view.velocity.stages.iter().all(|s| s.stays == 0 && s.open_deals == 0) />
        <ReportSection kind=ReportKind::WonLost intro=tr("report-won-lost-intro") csv=csv(ReportKind::WonLost)
            chart=won_lost_chart(&view.won_lost) table=report_table::won_lost(&view.won_lost) currency=currency.clone()
            empty=view.won_lost.months.iter().all(|(_, w, l)| w + l == 0) />
        <ReportSection kind=ReportKind::Activity intro=tr("report-activity-intro") csv=csv(ReportKind::Activity)
            chart=activity_chart(&view.activity) table=report_table::activity(&view.activity) currency=currency
            empty=view.activity.people.is_empty() />
    }
}

/// The forecast: its chart and table, with the currency it is in and what it left out.
#[component]
fn ForecastSection(report: ForecastReport, csv: String) -> impl IntoView {
    let locale = crate::i18n::current();
    let currency = report.currency.clone();
    let left_out = report
        .other_currencies
        .iter()
        .map(|(c, n)| format!("{c}: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let learned: Vec<String> = report
        .stages
        .iter()
        .filter_map(|s| {
            s.learned_from.map(|n| {
                tr_args(
                    "report-learned-stage",
                    &[
                        ("stage", s.name.clone().into()),
                        ("percent", s.probability.into()),
                        ("closed", n.into()),
                    ],
                )
            })
        })
        .collect();
    let empty = report
        .months
        .iter()
        .all(|m| m.open.deals == 0 && m.won_deals == 0);
    let note = view! {
        <p class="text-xs text-slate-500" data-testid="report-currency">
            {tr_args("report-currency", &[("currency", currency.clone().into())])}
            {(!left_out.is_empty()).then(|| format!(" {}", tr_args("report-other-currencies", &[("list", left_out.into())])))}
        </p>
        {(!learned.is_empty()).then(|| view! {
            <p class="text-xs text-emerald-700" data-testid="report-learned">{learned.join(" · ")}</p>
        })}
    };
    view! {
        <ReportSection kind=ReportKind::Forecast intro=tr("report-forecast-intro") csv=csv
            chart=forecast_chart(&report, locale) table=report_table::forecast(&report) currency=currency empty=empty>
            {note}
        </ReportSection>
    }
}

/// One report: heading, what it counts, its chart, the table of its numbers and the CSV link.
#[component]
fn ReportSection(
    kind: ReportKind,
    intro: String,
    csv: String,
    chart: String,
    table: Table,
    currency: String,
    empty: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let slug = kind.slug();
    view! {
        <section class="space-y-2 rounded-lg bg-white p-4 shadow-sm break-inside-avoid" data-testid=format!("report-{slug}") aria-labelledby=format!("report-{slug}-heading")>
            <div class="flex flex-wrap items-baseline gap-3">
                <h2 id=format!("report-{slug}-heading") class="font-semibold">{tr(&format!("report-{slug}"))}</h2>
                <a href=csv class="ml-auto text-sm text-indigo-700 hover:underline print:hidden" data-testid=format!("csv-{slug}") download>{tr("report-csv")}</a>
            </div>
            <p class="text-sm text-slate-600">{intro}</p>
            {children.map(|c| c())}
            {empty.then(|| view! { <p class="text-sm text-slate-500" data-testid="report-empty">{tr("report-empty")}</p> })}
            <div class="max-w-3xl overflow-x-auto" inner_html=chart></div>
            <TableView table=table currency=currency slug=slug />
        </section>
    }
}

/// A report's table; each cell carries its plain value (`data-value`), as in the CSV file.
#[component]
fn TableView(table: Table, currency: String, slug: &'static str) -> impl IntoView {
    let locale = crate::i18n::current();
    view! {
        <div class="overflow-x-auto">
            <table class="w-full text-left text-sm" data-testid=format!("table-{slug}")>
                <caption class="sr-only">{tr(&format!("report-{slug}"))}</caption>
                <thead class="border-b border-slate-200 text-xs uppercase text-slate-500">
                    <tr>{table.columns.iter().map(|c| view! { <th scope="col" class="px-2 py-1" data-column=c.clone()>{heading(c)}</th> }).collect_view()}</tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {table.rows.into_iter().map(|row| view! {
                        <tr>
                            {row.into_iter().map(|cell| {
                                let numeric = matches!(cell, Cell::Count(_) | Cell::Money(_) | Cell::Days(_) | Cell::Percent(_));
                                view! {
                                    <td class="px-2 py-1" class:text-right=numeric class:tabular-nums=numeric data-value=cell.plain()>
                                        {shown(&cell, &currency, locale)}
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn forecast_chart(r: &ForecastReport, locale: Locale) -> String {
    let currency = r.currency.clone();
    let title = tr("report-forecast");
    let description = tr("report-forecast-chart");
    let months: Vec<String> = r.months.iter().map(|m| m.month.clone()).collect();
    let stages: Vec<String> = r.stages.iter().map(|s| s.name.clone()).collect();
    let values: Vec<Vec<i64>> = r
        .months
        .iter()
        .map(|m| m.stages.iter().map(|a| a.total_cents).collect())
        .collect();
    let weighted: Vec<i64> = r.months.iter().map(|m| m.open.weighted_cents).collect();
    let won: Vec<i64> = r.months.iter().map(|m| m.won_cents).collect();
    let (weighted_name, won_name) = (tr("report-col-weighted"), tr("report-col-won"));
    charts::columns(
        &Frame {
            id: "chart-forecast",
            title: &title,
            description: &description,
        },
        &months,
        &stages,
        &values,
        &[
            Marker {
                name: &weighted_name,
                values: &weighted,
                colour: "#0f172a",
            },
            Marker {
                name: &won_name,
                values: &won,
                colour: "#16a34a",
            },
        ],
        &|c| format::money(c, &currency, locale),
    )
}

fn funnel_chart(r: &FunnelReport) -> String {
    let (title, description) = (tr("report-funnel"), tr("report-funnel-chart"));
    let rows: Vec<String> = r.stages.iter().map(|s| s.name.clone()).collect();
    let values: Vec<Vec<f64>> = r
        .stages
        .iter()
        .map(|s| vec![s.entered as f64, s.went_on as f64])
        .collect();
    charts::bars(
        &Frame {
            id: "chart-funnel",
            title: &title,
            description: &description,
        },
        &rows,
        &[tr("report-col-entered"), tr("report-col-went_on")],
        &values,
        &|v| format!("{v:.0}"),
    )
}

fn velocity_chart(r: &VelocityReport, locale: Locale) -> String {
    let (title, description) = (tr("report-velocity"), tr("report-velocity-chart"));
    let rows: Vec<String> = r.stages.iter().map(|s| s.name.clone()).collect();
    let values: Vec<Vec<f64>> = r
        .stages
        .iter()
        .map(|s| {
            vec![
                s.median_days.unwrap_or(0.0),
                s.p90_days.unwrap_or(0.0),
                s.open_longest_days.unwrap_or(0.0),
            ]
        })
        .collect();
    charts::bars(
        &Frame {
            id: "chart-velocity",
            title: &title,
            description: &description,
        },
        &rows,
        &[
            tr("report-col-median_days"),
            tr("report-col-p90_days"),
            tr("report-col-open_longest_days"),
        ],
        &values,
        &|v| days(v, locale),
    )
}

fn won_lost_chart(r: &WonLostReport) -> String {
    let (title, description) = (tr("report-won-lost"), tr("report-won-lost-chart"));
    let months: Vec<String> = r.months.iter().map(|(m, _, _)| m.clone()).collect();
    let values: Vec<Vec<i64>> = r.months.iter().map(|(_, w, l)| vec![*w, *l]).collect();
    charts::columns(
        &Frame {
            id: "chart-won-lost",
            title: &title,
            description: &description,
        },
        &months,
        &[tr("report-col-won"), tr("report-col-lost")],
        &values,
        &[],
        &|n| n.to_string(),
    )
}

fn activity_chart(r: &ActivityReport) -> String {
    let (title, description) = (tr("report-activity"), tr("report-activity-chart"));
    // Mondays without their year, to fit a quarter's weeks side by side.
    let weeks: Vec<String> = r
        .weeks
        .iter()
        .map(|w| w.week.get(5..).unwrap_or(&w.week).to_string())
        .collect();
    let kinds: Vec<String> = r.kinds.iter().map(|k| heading(k)).collect();
    let values: Vec<Vec<i64>> = r.weeks.iter().map(|w| w.done.clone()).collect();
    charts::columns(
        &Frame {
            id: "chart-activity",
            title: &title,
            description: &description,
        },
        &weeks,
        &kinds,
        &values,
        &[],
        &|n| n.to_string(),
    )
}

//! Pieces the pages share: the route's record id, a list's search header and page links, a
//! load error, and the deals and activities of a contact or an organization.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::activities::{due_text, kind_tag};
use crate::domain::activity::ActivityItem;
use crate::domain::contact::DealLine;
use crate::i18n::format::money;
use crate::i18n::tr;

/// A deal's status as its tag names it ("won"); an unknown one as it is.
fn status_tag(status: &str) -> String {
    match status {
        "open" => tr("contact-deal-open"),
        "won" => tr("contact-deal-won"),
        "lost" => tr("contact-deal-lost"),
        other => other.to_string(),
    }
}

/// A card listing deals with stage, status and value, or `empty`.
#[component]
pub fn DealLines(deals: Vec<DealLine>, #[prop(into)] empty: String) -> impl IntoView {
    let locale = crate::i18n::current();
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="related-deals">
            <h2 class="font-semibold mb-2">{tr("contact-related-deals")}</h2>
            {if deals.is_empty() {
                view! { <p class="text-sm text-slate-500">{empty}</p> }.into_any()
            } else {
                view! { <ul class="divide-y divide-slate-100 text-sm">
                    {deals.into_iter().map(|l| view! {
                        <li class="flex gap-3 py-1.5">
                            <a class="text-indigo-700 underline" href=format!("/deals/{}", l.id)>{l.title}</a>
                            <span class="text-slate-500">{l.stage_name}</span>
                            <span class="uppercase text-xs text-slate-500">{status_tag(&l.status)}</span>
                            <span class="ml-auto">{money(l.value_cents, &l.currency, locale)}</span>
                        </li>
                    }).collect_view()}
                </ul> }.into_any()
            }}
        </section>
    }
}

/// A card listing activities (done ones struck through) with their due time.
#[component]
pub fn ActivityLines(activities: Vec<ActivityItem>) -> impl IntoView {
    let locale = crate::i18n::current();
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="related-activities">
            <h2 class="font-semibold mb-2">{tr("contact-related-activities")}</h2>
            {if activities.is_empty() {
                view! { <p class="text-sm text-slate-500">{tr("contact-related-no-activities")}</p> }.into_any()
            } else {
                view! { <ul class="divide-y divide-slate-100 text-sm">
                    {activities.into_iter().map(|a| view! {
                        <li class="flex gap-3 py-1.5">
                            <span class="rounded bg-slate-100 px-1.5 text-xs">{kind_tag(&a.kind)}</span>
                            <span class:line-through=a.done_at.is_some()>{a.title}</span>
                            {a.deal_id.zip(a.deal_title).map(|(id, t)| view! {
                                <a class="text-slate-500 underline" href=format!("/deals/{id}")>{t}</a>
                            })}
                            <span class="ml-auto text-slate-500">{a.due_local.and_then(|d| due_text(&d, locale)).unwrap_or_default()}</span>
                        </li>
                    }).collect_view()}
                </ul> }.into_any()
            }}
        </section>
    }
}

/// `summary` ("N things · page x of y") with previous / next links made by `link`.
#[component]
pub fn Pager(
    summary: String,
    page: i64,
    pages: i64,
    link: impl Fn(i64) -> String + 'static,
) -> impl IntoView {
    view! {
        <nav class="mt-3 flex items-center gap-3 text-sm" aria-label=tr("common-pages")>
            <span class="text-slate-500" data-testid="pager">{summary}</span>
            {(page > 1).then(|| view! { <A href=link(page - 1) attr:class="underline">{tr("common-previous")}</A> })}
            {(page < pages).then(|| view! { <A href=link(page + 1) attr:class="underline">{tr("common-next")}</A> })}
        </nav>
    }
}

/// The route's `:id` as a record id, tracked; id 0 (which no record has, so the page answers
/// "not found") when it is not one.
pub fn route_id<T>() -> impl Fn() -> T + Copy + Send + Sync + 'static
where
    T: std::str::FromStr + Default,
{
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse().ok())
            .unwrap_or_default()
    }
}

/// A list page's title with its search box (a plain GET form: `?q=`).
#[component]
pub fn SearchHeader(
    #[prop(into)] title: String,
    #[prop(into)] placeholder: String,
    #[prop(into)] label: String,
    q: String,
    /// The list's CSV download (`/export/contacts.csv`); it gets the same search.
    export: &'static str,
) -> impl IntoView {
    let export = if q.trim().is_empty() {
        export.to_string()
    } else {
        format!("{export}?q={}", crate::domain::url_encode(&q))
    };
    view! {
        <div class="flex flex-wrap items-end gap-3 mb-3">
            <h1 class="text-xl font-semibold">{title}</h1>
            <form method="get" class="ml-auto flex gap-2">
                <input type="search" name="q" value=q placeholder=placeholder aria-label=label
                    class="w-64 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm" />
                <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">{tr("common-search")}</button>
            </form>
            // What the list shows, as a spreadsheet.
            <a href=export download="" data-testid="export-csv"
                class="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:bg-slate-50">{tr("common-export")}</a>
        </div>
    }
}

/// What a failed load shows in place of its content.
#[component]
pub fn LoadError(message: String) -> impl IntoView {
    view! { <div role="alert" class="rounded-md border border-red-200 bg-red-50 p-4 text-red-800">{message}</div> }
}

//! Finding anything from anywhere: the header's search field (Ctrl/⌘-K focuses it) shows the
//! deals, contacts and organizations that match as one types, grouped, walked with the arrow
//! keys and opened with Enter; without script the field submits to `/search`, which lists the
//! same hits (`/search?query=…`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::error::AppError;
use super::related::LoadError;
use crate::domain::search::{Hit, SearchHits, MAX_QUERY};
use crate::domain::DealStatus;
use crate::i18n::{tr, tr_args};

/// The deals (that the user may see), contacts and organizations matching `q`.
#[server(prefix = "/rpc", endpoint = "find_anything")]
pub async fn find_anything(q: String) -> Result<SearchHits, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::search::find(&state.db, (&me).into(), &q)
        .await
        .map_err(AppError::from)
}

/// The groups of `hits` with their headings; the hit at `active` (counted across the groups)
/// is marked as the one Enter opens.
fn hit_groups(hits: &SearchHits, active: Option<usize>) -> impl IntoView {
    let groups = [
        ("search-deals", &hits.deals),
        ("search-contacts", &hits.contacts),
        ("search-organizations", &hits.organizations),
    ];
    let mut index = 0usize;
    groups
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(heading, list)| {
            let items = list
                .iter()
                .map(|hit| {
                    let i = index;
                    index += 1;
                    hit_line(hit, i, active == Some(i))
                })
                .collect_view();
            view! {
                <div role="group" aria-label=tr(heading) data-testid="search-group">
                    <div class="px-3 pt-2 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{tr(heading)}</div>
                    {items}
                </div>
            }
        })
        .collect_view()
}

fn hit_line(hit: &Hit, index: usize, active: bool) -> impl IntoView {
    let status = match hit.status {
        Some(DealStatus::Won) => Some(tr("board-status-won")),
        Some(DealStatus::Lost) => Some(tr("board-status-lost")),
        _ => None,
    };
    let class = if active {
        "flex items-baseline gap-2 px-3 py-1.5 text-sm bg-indigo-600 text-white"
    } else {
        "flex items-baseline gap-2 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-100"
    };
    view! {
        <a href=hit.href.clone() id=format!("search-hit-{index}") role="option" aria-selected=active.to_string()
            class=class data-testid="search-hit">
            <span class="truncate font-medium">{hit.title.clone()}</span>
            <span class="truncate text-xs opacity-75">{hit.detail.clone()}</span>
            {status.map(|s| view! { <span class="ml-auto shrink-0 rounded bg-slate-200 px-1.5 text-xs text-slate-700">{s}</span> })}
        </a>
    }
}

/// The header's search field. Typing asks the server (after a short pause) and lists what
/// matches under the field; ↑/↓ choose, Enter opens the chosen hit (or, with none shown,
/// submits to `/search`), Escape closes the list (and, once closed, clears the field).
#[island(lazy)]
pub fn HeaderSearch() -> impl IntoView {
    let hits = RwSignal::new(None::<SearchHits>);
    let active = RwSignal::new(0usize);
    let open = RwSignal::new(false);
    let asked = StoredValue::new(0u64);
    // The text the hits shown were found for.
    let answered = RwSignal::new(String::new());
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        if text.trim().is_empty() {
            hits.set(None);
            open.set(false);
            return;
        }
        set_timeout(
            move || {
                if asked.get_value() != ticket {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let found = find_anything(text.clone()).await.unwrap_or_default();
                    if asked.get_value() == ticket {
                        // The hit chosen with the arrows stays chosen when it is still found.
                        let chosen = hits.with_untracked(|h| {
                            h.as_ref()
                                .and_then(|h| h.all().nth(active.get_untracked()))
                                .map(|hit| hit.href.clone())
                        });
                        let kept = chosen
                            .and_then(|href| found.all().position(|hit| hit.href == href))
                            .unwrap_or(0);
                        active.set(kept);
                        hits.set(Some(found));
                        answered.set(text);
                        open.set(true);
                    }
                });
            },
            std::time::Duration::from_millis(150),
        );
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = hits.with(|h| h.as_ref().map_or(0, |h| h.all().count()));
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Enter" if open.get_untracked() && count > 0 => {
                ev.prevent_default();
                let href = hits.with_untracked(|h| {
                    h.as_ref().and_then(|h| {
                        h.all()
                            .nth(active.get_untracked())
                            .map(|hit| hit.href.clone())
                    })
                });
                if let (Some(href), Some(window)) = (href, web_sys::window()) {
                    let _ = window.location().set_href(&href);
                }
            }
            // The first Escape closes the list and keeps the text; the next one clears the
            // field, as a search field does.
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                open.set(false);
            }
            _ => {}
        }
    };
    let active_id = move || {
        (open.get() && hits.with(|h| h.as_ref().is_some_and(|h| !h.is_empty())))
            .then(|| format!("search-hit-{}", active.get()))
    };
    view! {
        <form action="/search" method="get" role="search" class="relative" data-testid="global-search">
            <input type="search" name="query" maxlength=MAX_QUERY.to_string() autocomplete="off"
                data-global-search="" data-testid="global-search-input"
                role="combobox" aria-autocomplete="list" aria-controls="search-results"
                aria-expanded=move || open.get().to_string() aria-activedescendant=active_id
                aria-label=tr("search-label") placeholder=tr("search-placeholder")
                class="w-44 rounded-md border border-slate-600 bg-slate-800 px-2 py-1 text-sm text-white placeholder:text-slate-400 focus:w-64 focus:outline-none focus:ring-2 focus:ring-indigo-400"
                on:input=on_input on:keydown=on_key on:blur=move |_| open.set(false)
                on:focus=move |_| if hits.with_untracked(Option::is_some) { open.set(true) } />
            <div id="search-results" role="listbox" aria-label=tr("search-label")
                // Pressing a hit must not blur the field before the click opens it.
                on:mousedown=|ev| ev.prevent_default()
                class=move || if open.get() { "absolute right-0 z-30 mt-1 w-80 overflow-hidden rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-200" } else { "hidden" }
                data-answered=move || answered.get() data-testid="search-results">
                {move || hits.with(|h| match h {
                    Some(h) if h.is_empty() => view! {
                        <p class="px-3 py-2 text-sm text-slate-600" data-testid="search-nothing">{tr("search-nothing")}</p>
                    }.into_any(),
                    Some(h) => hit_groups(h, Some(active.get())).into_any(),
                    None => ().into_any(),
                })}
            </div>
        </form>
    }
}

/// `/search?query=…`: what the header's search finds, as a page (the field's answer without
/// script, and a place to see every group at once).
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("query").unwrap_or_default();
    let found = Resource::new(q, find_anything);
    view! {
        <div class="mx-auto max-w-3xl">
            <h1 class="mb-3 text-xl font-semibold">{tr("search-heading")}</h1>
            <form method="get" role="search" class="mb-4 flex gap-2">
                <input type="search" name="query" value=q maxlength=MAX_QUERY.to_string() aria-label=tr("search-label")
                    placeholder=tr("search-placeholder") data-search=""
                    class="w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm" />
                <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-sm text-white">{tr("common-search")}</button>
            </form>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-600">{tr("common-loading")}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Err(e) => view! { <LoadError message=e.to_string() /> }.into_any(),
                        Ok(hits) if q().trim().is_empty() => {
                            let _ = hits;
                            view! { <p class="text-sm text-slate-600">{tr("search-hint")}</p> }.into_any()
                        }
                        Ok(hits) if hits.is_empty() => view! {
                            <p class="text-sm text-slate-600" data-testid="search-nothing">
                                {tr_args("search-nothing-for", &[("q", q().into())])}
                            </p>
                        }.into_any(),
                        Ok(hits) => view! {
                            <div class="rounded-lg bg-white py-1 shadow-sm" data-testid="search-results">{hit_groups(&hits, None)}</div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

//! How forms report. Pages are rendered on the server and their forms post to server
//! functions as plain HTML (the server function sends the browser back to the page). Once the
//! page is interactive, [`super::enhance`] sends those forms in the background instead: a
//! change that worked redraws the regions the form names or reloads the page, one that failed
//! shows why and keeps what was typed.
//!
//! The markup contract, read by the enhancer:
//! * `<form method="post" action="/rpc/…">` — the forms it takes over ([`RpcForm`]);
//! * `data-confirm` on a form — a question asked before a destructive change;
//! * `data-done` on a form — a message shown as a toast ([`Toasts`]) once the change shows
//!   ("Saved.");
//! * `data-refresh` on a form — the ids of the regions the change redraws;
//! * `data-live` on an element with an id — a region kept up to date while the page is open;
//! * `data-form-error` inside a form — where its failure is written; without one, the page's
//!   `data-page-error` ([`ErrorBanner`]);
//! * `data-busy-label` on a submit button — its text while the change is being saved.
//!
//! A failure is written as its [`AppError`](super::error::AppError) reads: `field: message`
//! when a field is at fault, else the message.

use leptos::prelude::*;

/// A form posting to a server function (`action` is its path, e.g. `SaveDeal::PATH`).
/// Attributes given with `attr:` land on the `<form>`.
#[component]
pub fn RpcForm(
    action: &'static str,
    /// Asked before sending; the change is dropped unless confirmed.
    #[prop(optional, into)]
    confirm: Option<String>,
    /// Shown (as a toast) once the page shows the change.
    #[prop(optional, into)]
    done: Option<String>,
    /// Ids of the regions (elements holding no island) the change redraws: they are drawn
    /// anew in place instead of reloading the page (`data-refresh`, space separated).
    #[prop(optional)]
    refresh: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    let refresh = (!refresh.is_empty()).then(|| refresh.join(" "));
    view! {
        <form method="post" action=action data-confirm=confirm data-done=done data-refresh=refresh>
            {children()}
        </form>
    }
}

/// Where the failures of a page's forms are shown (hidden until one fails).
#[component]
pub fn ErrorBanner(#[prop(optional)] testid: &'static str) -> impl IntoView {
    view! {
        <div role="alert" data-page-error="" data-testid=testid hidden
            class="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"></div>
    }
}

/// Where toasts show: the outcome of a change made in the background (see
/// `enhance::toast`). One per page, in its frame.
#[component]
pub fn Toasts() -> impl IntoView {
    view! {
        <div data-toasts="" role="status" aria-live="polite"
            class="pointer-events-none fixed bottom-4 right-4 z-50 flex flex-col items-end gap-2 print:hidden"></div>
    }
}

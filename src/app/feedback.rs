//! How forms report. Pages are rendered on the server and their forms post to server
//! functions as plain HTML (the server function sends the browser back to the page). Once the
//! page is interactive, [`super::enhance`] sends those forms in the background instead: a
//! change that worked reloads the page, one that failed shows why and keeps what was typed.
//!
//! The markup contract, read by the enhancer:
//! * `<form method="post" action="/rpc/…">` — the forms it takes over ([`RpcForm`]);
//! * `data-confirm` on a form — a question asked before a destructive change;
//! * `data-done` on a form — a message shown after the reload ("Saved.");
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
    /// Shown once the page has reloaded after the change.
    #[prop(optional, into)]
    done: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=action data-confirm=confirm data-done=done>
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
        <p role="status" data-flash="" hidden class="mb-3 text-sm text-emerald-700"></p>
    }
}

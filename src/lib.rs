//! Dealflow: a self-hosted sales-pipeline CRM.
//!
//! * [`domain`] — plain types and rules shared by the browser and the server (no I/O).
//! * [`app`] — the Leptos UI (pages, components) and the server functions beside them.
//! * `server` — everything that only runs on the server: database, services, HTTP, CLI.
#![recursion_limit = "256"]

pub mod app;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point, called by the islands loader before it hydrates the page's islands
/// (`#[island]` components: the board, the quote rows, the stage order, the automation
/// builder). Everything else on a page is server-rendered HTML; [`app::enhance`] sends its
/// forms in the background. Once the islands are hydrated, `<html data-hydrated>` tells
/// scripts and browser tests that the page is interactive.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::enhance::install();
    // The loader hydrates the islands in the microtasks after this call returns; a task
    // queued now runs once they are done.
    let mark = Closure::once_into_js(|| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback(mark.unchecked_ref());
    }
}

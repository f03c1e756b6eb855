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

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets scripts and browser tests know the page is interactive.
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}

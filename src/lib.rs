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

/// Browser entry point: hydrates the server-rendered page. Pages are lazy routes, so
/// hydration waits for the page's own wasm (see `app::App`); then `<html data-hydrated>` tells
/// scripts and browser tests that the page is interactive.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Drives the reactive system and the page loads on wasm-bindgen's executor (an error only
    // means it already runs).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = document.body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
